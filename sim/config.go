package sim

// This file defines the scenario: a plain struct decoded from TOML. Every
// numeric field carries its allowed range (min, max), its unit and a one-line
// doc in struct tags. Those tags are the single schema used by validation,
// `--set`, sweeps, the browser controls and the parameter tables of MODEL.md.
//
// The split that calibration relies on: [rules] holds the behavioural
// parameters (how agents decide), shared across episodes; everything else
// (sizes, dependencies, demands, events) is the context of one episode.

// Scenario is everything one simulation needs. The zero value is not valid;
// scenarios come from TOML files (see package scenario) and are checked by
// Validate before the first step.
type Scenario struct {
	Name        string `toml:"name" doc:"short name, used for the default output folder"`
	Description string `toml:"description" doc:"what the scenario represents, with sources"`
	Extends     string `toml:"extends" doc:"another scenario file this one inherits and overrides (path relative to this file)"`

	Start Date   `toml:"start" doc:"first simulated day"`
	End   Date   `toml:"end" doc:"last simulated day (inclusive)"`
	Step  string `toml:"step" enum:"day,week" doc:"time step: day or week"`
	Runs  int    `toml:"runs" min:"1" max:"100000000" unit:"runs" doc:"Monte Carlo runs"`
	Seed  uint64 `toml:"seed" doc:"master seed; run i uses streams derived from (seed, i)"`

	State      StateConfig      `toml:"state"`
	Insurgent  InsurgentConfig  `toml:"insurgent"`
	Mediator   MediatorConfig   `toml:"mediator"`
	Rival      RivalConfig      `toml:"rival"`
	Attacks    AttackConfig     `toml:"attacks"`
	Rules      RulesConfig      `toml:"rules"`
	Events     []EventConfig    `toml:"events"`
	Observed   ObservedConfig   `toml:"observed"`
	Settlement SettlementConfig `toml:"settlement"`
}

// StateConfig describes the state (e.g. Pakistan): its capacities and what
// conflict costs it.
type StateConfig struct {
	Name          string  `toml:"name" doc:"display name"`
	Capacity      float64 `toml:"capacity" min:"0" max:"1" unit:"share" doc:"military capacity; scales strike and operation attrition and its leverage over the insurgent"`
	CostPerAttack float64 `toml:"cost_per_attack" min:"0" max:"100" unit:"pain/attack" doc:"pain one attack adds (economy, CPEC, trade)"`
	PainHalfLife  float64 `toml:"pain_half_life" min:"1" max:"3650" unit:"days" doc:"half-life of accumulated pain"`
	Pain          float64 `toml:"pain" min:"0" max:"1000000" unit:"pain" doc:"pain already accumulated at the start (0 = none); a steady a attacks/day leaves a·cost_per_attack·pain_half_life/ln 2"`
	PainScale     float64 `toml:"pain_scale" min:"0.001" max:"100000" unit:"pain" doc:"pain at which the state is half-hurt: hurt = pain/(pain+scale)"`
	TradeLeverage float64 `toml:"trade_leverage" min:"0" max:"1" unit:"share" doc:"leverage over the mediator through trade, transit and aid"`
	AudienceCost  float64 `toml:"audience_cost" min:"0" max:"1" unit:"share" doc:"political cost of conceding, per unit of weighted demand fulfilment"`
	Distraction   float64 `toml:"distraction" min:"0" max:"1" unit:"share" doc:"political/economic crisis and other fronts; lowers the odds of a large operation"`
	Demands       float64 `toml:"demands" min:"0" max:"1" unit:"share" doc:"how strictly the state conditions its concessions on the insurgent disbanding and cutting its ties with the rival (0 = not at all)"`
}

// InsurgentConfig describes the insurgent umbrella (e.g. TTP): its leadership,
// its factions and its demands.
type InsurgentConfig struct {
	Name          string          `toml:"name" doc:"display name"`
	Hardline      float64         `toml:"hardline" min:"0" max:"1" unit:"score" doc:"leadership's position: 0 pragmatic, 1 maximalist"`
	Patience      float64         `toml:"patience" min:"1" max:"3650" unit:"days" doc:"days the leadership tolerates demand fulfilment below its expectation"`
	ExpectDays    float64         `toml:"expect_days" min:"1" max:"3650" unit:"days" doc:"days after talks open by which the leadership expects the agreed concessions in full"`
	Dependence    float64         `toml:"dependence" min:"0" max:"1" unit:"share" doc:"dependence on the mediator's sanctuary and allegiance"`
	Recruitment   float64         `toml:"recruitment" min:"0" max:"0.01" unit:"1/day" doc:"daily growth of fighters through recruitment (all factions)"`
	Compliance    float64         `toml:"compliance" min:"0" max:"1" unit:"share" doc:"share of its open-conflict tempo the leadership halts in a ceasefire: its intent moves to 1 − compliance, followed by each faction in proportion to its loyalty"`
	TalksRestrain float64         `toml:"talks_restraint" min:"0" max:"1" unit:"share" doc:"share of its open-conflict tempo the leadership withholds during talks without a ceasefire (intent 1 − talks_restraint)"`
	BrokenDeals   int             `toml:"broken_deals" min:"0" max:"100" unit:"deals" doc:"earlier agreements with the state that failed, remembered by the leadership (lowers trust)"`
	Factions      []FactionConfig `toml:"factions"`
	Demands       []DemandConfig  `toml:"demands"`
}

// FactionConfig is one faction of the umbrella.
type FactionConfig struct {
	Name       string  `toml:"name" doc:"unique faction name, used by events and --set keys"`
	Fighters   float64 `toml:"fighters" min:"0" max:"1000000" unit:"fighters" doc:"fighters at the start"`
	Hardline   float64 `toml:"hardline" min:"0" max:"1" unit:"score" doc:"0 pragmatic, 1 maximalist"`
	Loyalty    float64 `toml:"loyalty" min:"0" max:"1" unit:"share" doc:"loyalty to the leadership; loyal factions obey ceasefires"`
	AttackRate float64 `toml:"attack_rate" min:"0" max:"100" unit:"attacks/1000 fighters/day" doc:"attack rate in open conflict"`
	Split      bool    `toml:"split" doc:"starts outside the umbrella, as a splinter"`
}

// DemandConfig is one demand item on the table.
type DemandConfig struct {
	Name        string  `toml:"name" doc:"unique item name, used by concede events"`
	Weight      float64 `toml:"weight" min:"0.000001" max:"1000" unit:"weight" doc:"weight of the item in the insurgent's overall fulfilment"`
	Reservation float64 `toml:"reservation" min:"0" max:"1" unit:"share" doc:"the least fulfilment the insurgent accepts for a settlement"`
	StateMax    float64 `toml:"state_max" min:"0" max:"1" unit:"share" doc:"the most the state will concede on this item"`
	Fulfilment  float64 `toml:"fulfilment" min:"0" max:"1" unit:"share" doc:"fulfilment already reached at the start"`
	Units       int     `toml:"units" min:"1" max:"1000000" unit:"units" doc:"size of the item in discrete units (e.g. 102 prisoners)"`
	Batch       int     `toml:"batch" min:"1" max:"1000000" unit:"units" doc:"units conceded at once (a batch release)"`
}

// MediatorConfig describes the mediator (e.g. the Afghan Taliban).
type MediatorConfig struct {
	Name      string  `toml:"name" doc:"display name"`
	Sanctuary float64 `toml:"sanctuary" min:"0" max:"1" unit:"share" doc:"leverage over the insurgent through sanctuary and allegiance"`
	Interest  float64 `toml:"interest" min:"0" max:"1" unit:"share" doc:"interest in a deal (legitimacy, unfrozen funds, aid)"`
	Pressure  float64 `toml:"pressure" min:"0" max:"1" unit:"share" doc:"how hard it presses the insurgent when it presses"`
	Bias      float64 `toml:"bias" min:"0" max:"1" unit:"share" doc:"bias toward the insurgent (0.5 neutral); shifts the bargaining split"`
	Guarantee float64 `toml:"guarantee" min:"0" max:"1" unit:"share" doc:"share of the ceasefire-ending driver hazards its assurances remove while it hosts and its interest holds"`
	Host      bool    `toml:"host" doc:"willing to host talks at the start"`
}

// RivalConfig describes the rival faction (e.g. ISKP).
type RivalConfig struct {
	Name        string  `toml:"name" doc:"display name"`
	Fighters    float64 `toml:"fighters" min:"0" max:"1000000" unit:"fighters" doc:"fighters at the start"`
	Appeal      float64 `toml:"appeal" min:"0" max:"1" unit:"share" doc:"appeal to hard-liners of the umbrella"`
	AttackRate  float64 `toml:"attack_rate" min:"0" max:"100" unit:"attacks/1000 fighters/day" doc:"attack rate against the state"`
	Threat      float64 `toml:"threat" min:"0" max:"1" unit:"share" doc:"threat it poses to the mediator"`
	Recruitment float64 `toml:"recruitment" min:"0" max:"0.01" unit:"1/day" doc:"daily growth of its fighters, besides defectors"`
}

// AttackConfig sets the attack process (MODEL.md §3.3.1): the faction rates
// are attack_rate × fighters/1000 × capacity × intent, excited by a Hawkes
// process; the background of groups the model does not include is a process
// of its own.
type AttackConfig struct {
	Background           float64        `toml:"background" min:"0" max:"1000" unit:"attacks/day" doc:"attacks by groups not modelled (separatists, sectarian, others), to match PICSS units, at background_year"`
	BackgroundTrend      float64        `toml:"background_trend" min:"-2" max:"2" unit:"1/year" doc:"log-linear trend of the background: rate = background·exp(trend·(year − background_year))"`
	BackgroundYear       float64        `toml:"background_year" min:"1900" max:"2100" unit:"year" doc:"decimal year at which the background equals background (e.g. 2021.5 = mid-2021)"`
	BackgroundAttributed float64        `toml:"background_attributed" min:"0" max:"1" unit:"share" doc:"share of background attacks that adds to the state's pain about the insurgent (the rest does not drive its decisions)"`
	Overdispersion       float64        `toml:"overdispersion" min:"0" max:"5" unit:"CV" doc:"coefficient of variation of a monthly tempo shared by all groups (0 = Poisson)"`
	OperationSurge       float64        `toml:"operation_surge" min:"0" max:"10" unit:"factor" doc:"campaign intent the leadership moves toward during a state operation (insurgents hit back); splinters attack at this multiple"`
	Capacity             CapacityConfig `toml:"capacity"`
	Intent               IntentConfig   `toml:"intent"`
	Hawkes               HawkesConfig   `toml:"hawkes"`
}

// CapacityConfig sets the organisational capacity of the factions
// (MODEL.md §3.3.2): a share in [0, 1] of full capacity that scales their
// attacks, grows toward 1 in sanctuary and ceasefires and is worn down by
// the state in proportion to its leverage over the insurgent.
type CapacityConfig struct {
	Initial       float64 `toml:"initial" min:"0" max:"1" unit:"share" doc:"capacity of every faction at the start (1 = full)"`
	Growth        float64 `toml:"growth" min:"0" max:"0.1" unit:"1/day" doc:"intrinsic growth rate toward full capacity (organising at home)"`
	Sanctuary     float64 `toml:"sanctuary" min:"0" max:"0.1" unit:"1/day" doc:"extra growth rate per unit of the mediator's sanctuary × the insurgent's dependence"`
	Ceasefire     float64 `toml:"ceasefire" min:"0" max:"0.1" unit:"1/day" doc:"extra growth rate during a ceasefire or settlement"`
	Wear          float64 `toml:"wear" min:"0" max:"0.1" unit:"1/day" doc:"routine wear rate per unit of the state's leverage over the insurgent"`
	OperationWear float64 `toml:"operation_wear" min:"0" max:"0.1" unit:"1/day" doc:"extra wear rate during a large operation, per unit of leverage"`
	StrikeWear    float64 `toml:"strike_wear" min:"0" max:"1" unit:"share" doc:"share of capacity a strike destroys, per unit of leverage"`
}

// IntentConfig sets the leadership's campaign intent (MODEL.md §3.3.2): the
// multiple of the open-conflict tempo it orders. It moves toward a target
// set by the phase and, in conflict, by coercive gain, grievance and
// recognised deadlock.
type IntentConfig struct {
	Initial         float64 `toml:"initial" min:"0" max:"5" unit:"factor" doc:"intent at the start (1 = the open-conflict tempo)"`
	Max             float64 `toml:"max" min:"1" max:"5" unit:"factor" doc:"highest intent the leadership can order"`
	RiseDays        float64 `toml:"rise_days" min:"1" max:"3650" unit:"days" doc:"time constant of intent rising toward its target (escalation)"`
	RelaxDays       float64 `toml:"relax_days" min:"1" max:"3650" unit:"days" doc:"time constant of intent falling toward its target (restraint)"`
	Gain            float64 `toml:"gain" min:"0" max:"5" unit:"factor/share" doc:"intent added per unit of coercive gain (the state's hurt from attacks it attributes to the insurgent)"`
	Grievance       float64 `toml:"grievance" min:"0" max:"5" unit:"factor/share" doc:"intent added per unit of the insurgent's grievance (strikes, a leader killed)"`
	Deadlock        float64 `toml:"deadlock" min:"0" max:"5" unit:"factor" doc:"intent added once talks have failed with an item deadlocked"`
	StrikeGrievance float64 `toml:"strike_grievance" min:"0" max:"1" unit:"share" doc:"grievance a state strike adds (halves every 90 days)"`
	LeaderGrievance float64 `toml:"leader_grievance" min:"0" max:"1" unit:"share" doc:"grievance a killed leader adds (halves every 90 days)"`
}

// HawkesConfig sets the self- and cross-excitation of attacks (MODEL.md
// §3.3.1): an exponential kernel with mean duration decay_days; the
// excitation matrix [[self, outbid], [rival_outbid, rival_self]] must have a
// spectral radius below 1.
type HawkesConfig struct {
	DecayDays       float64 `toml:"decay_days" min:"0.5" max:"365" unit:"days" doc:"mean duration 1/β of the excitation an attack leaves"`
	Self            float64 `toml:"self" min:"0" max:"0.99" unit:"attacks/attack" doc:"insurgent attacks triggered per insurgent attack (branching ratio)"`
	RivalSelf       float64 `toml:"rival_self" min:"0" max:"0.99" unit:"attacks/attack" doc:"rival attacks triggered per rival attack"`
	Outbid          float64 `toml:"outbid" min:"0" max:"0.99" unit:"attacks/attack" doc:"insurgent attacks triggered per rival attack (outbidding)"`
	RivalOutbid     float64 `toml:"rival_outbid" min:"0" max:"0.99" unit:"attacks/attack" doc:"rival attacks triggered per insurgent attack (outbidding)"`
	RetaliateStrike float64 `toml:"retaliate_strike" min:"0" max:"1000" unit:"attacks" doc:"insurgent attacks a state strike triggers directly (retaliation), before their own offspring"`
	RetaliateLeader float64 `toml:"retaliate_leader" min:"0" max:"1000" unit:"attacks" doc:"insurgent attacks a killed leader triggers directly"`
}

// SettlementConfig sets when a settlement is signed and how it fails.
type SettlementConfig struct {
	Threshold float64 `toml:"threshold" min:"0" max:"1" unit:"share" doc:"weighted fulfilment, as a share of the agreed terms, at which a settlement is signed"`
}

// ObservedConfig names the documented observations drawn over the outputs.
type ObservedConfig struct {
	MonthlyAttacks string `toml:"monthly_attacks" doc:"CSV of monthly attack counts (month,attacks,...) relative to the scenario file"`
	Targets        string `toml:"targets" doc:"TOML file of calibration targets (ceasefires, strength, ordinal facts) relative to the scenario file; see scenarios/history/README.md"`
}

// EventConfig is one dated exogenous event with a typed effect.
type EventConfig struct {
	Date       Date    `toml:"date" doc:"day on which the event happens"`
	Type       string  `toml:"type" enum:"open_talks,end_talks,declare_ceasefire,extend_ceasefire,end_ceasefire,concede,fighters,strike,operation,leader_killed,split,merge,defect,press,host,set,scale" doc:"what happens"`
	Target     string  `toml:"target" doc:"who it affects: state, insurgent, mediator, rival, a faction name or a demand item"`
	Key        string  `toml:"key" doc:"for set/scale: the scenario key to change, e.g. mediator.pressure"`
	Value      float64 `toml:"value" min:"-1000000" max:"1000000" doc:"the event's magnitude (see MODEL.md for each type)"`
	Days       int     `toml:"days" min:"0" max:"36500" unit:"days" doc:"term of a ceasefire, length of an operation, or how long a set/scale lasts (0 = for good)"`
	Indefinite bool    `toml:"indefinite" doc:"for declare/extend_ceasefire: no fixed term"`
	Units      int     `toml:"units" min:"0" max:"1000000" unit:"units" doc:"for concede: units of the item released"`
	Note       string  `toml:"note" doc:"what happened and the source"`
}
