package sim

// RulesConfig holds the behavioural parameters: how the agents decide. They
// are shared across episodes when calibrating. Each probabilistic rule has a
// daily hazard baseline + rate·g(x), where x is the rule's driver and g is
// the floorless logistic switch of MODEL.md §3.1: 0 when the driver is
// absent (x ≤ 0), ½ (nearly) at the threshold and 1 far above it. The
// baseline is explicit, named and may be 0; when a rule fires, the story
// and the ceasefire record say whether its baseline or its driver did (see
// MODEL.md for each driver and the fact it rests on).
type RulesConfig struct {
	StateEndsCeasefire         StateEndsCeasefire         `toml:"state_ends_ceasefire"`
	StateWalksOut              StateWalksOut              `toml:"state_walks_out"`
	StateStrikes               StateStrikes               `toml:"state_strikes"`
	StateOperation             StateOperation             `toml:"state_operation"`
	StateConcedes              StateConcedes              `toml:"state_concedes"`
	InsurgentWalksOut          InsurgentWalksOut          `toml:"insurgent_walks_out"`
	InsurgentDeclaresCeasefire InsurgentDeclaresCeasefire `toml:"insurgent_declares_ceasefire"`
	InsurgentExtends           InsurgentExtends           `toml:"insurgent_extends"`
	FactionSpoils              FactionSpoils              `toml:"faction_spoils"`
	FactionSplits              FactionSplits              `toml:"faction_splits"`
	FactionRemerges            FactionRemerges            `toml:"faction_remerges"`
	FightersDefect             FightersDefect             `toml:"fighters_defect"`
	MediatorPresses            MediatorPresses            `toml:"mediator_presses"`
	MediatorStopsHosting       MediatorStopsHosting       `toml:"mediator_stops_hosting"`
	TalksOpen                  TalksOpen                  `toml:"talks_open"`
	SettlementCollapses        SettlementCollapses        `toml:"settlement_collapses"`
	Bargaining                 Bargaining                 `toml:"bargaining"`
	MediatorInterest           MediatorInterest           `toml:"mediator_interest"`
	Memory                     Memory                     `toml:"memory"`
}

// StateEndsCeasefire: the state ends a ceasefire when attacks it blames on
// the insurgent in the last 30 days exceed its tolerance.
type StateEndsCeasefire struct {
	Enabled     bool    `toml:"enabled" doc:"rule is active"`
	Baseline    float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of ending a ceasefire for reasons outside the model; 0 = none)"`
	Tolerance   float64 `toml:"tolerance" min:"0.1" max:"10000" unit:"attacks/30 days" doc:"violations the state tolerates in 30 days"`
	Attribution float64 `toml:"attribution" min:"0" max:"1" unit:"share" doc:"share of splinter, proxy and rival attacks the state blames on the insurgent"`
	Rate        float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when far above tolerance"`
	Slope       float64 `toml:"slope" min:"0" max:"100" unit:"1/ratio" doc:"steepness of the switch in violations/tolerance"`
	StrikeShare float64 `toml:"strike_share" min:"0" max:"1" unit:"share" doc:"probability that ending the ceasefire comes with a strike"`
}

// StateWalksOut: the state leaves talks when the audience cost of what it has
// conceded outweighs the pain the talks relieve.
type StateWalksOut struct {
	Enabled   bool    `toml:"enabled" doc:"rule is active"`
	Baseline  float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of leaving talks for reasons outside the model; 0 = none)"`
	Rate      float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when cost far exceeds relief"`
	Slope     float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch"`
	Threshold float64 `toml:"threshold" min:"-1" max:"1" unit:"share" doc:"cost minus relief at which the hazard is half its rate"`
}

// StateStrikes: the state strikes the insurgent's sanctuary when it hurts.
type StateStrikes struct {
	Enabled   bool    `toml:"enabled" doc:"rule is active"`
	Baseline  float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of a strike for reasons outside the model; 0 = none)"`
	Rate      float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard of a strike when hurting badly"`
	Slope     float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch in hurt"`
	Threshold float64 `toml:"threshold" min:"0" max:"1" unit:"share" doc:"hurt at which the hazard is half its rate"`
	Kill      float64 `toml:"kill" min:"0" max:"1" unit:"share" doc:"share of the umbrella's fighters a strike kills"`
	Grievance float64 `toml:"grievance" min:"0" max:"1" unit:"share" doc:"grievance a strike adds to the mediator and to every faction (decays with a 90-day half-life)"`
	Restraint float64 `toml:"restraint" min:"0" max:"1" unit:"share" doc:"hurt the state forgoes per unit of the mediator's leverage over it before striking the mediator's soil"`
}

// StateOperation: after talks have failed, a hurting state launches a large
// operation.
type StateOperation struct {
	Enabled       bool    `toml:"enabled" doc:"rule is active"`
	Baseline      float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of an operation for reasons outside the model; 0 = none)"`
	Rate          float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when hurting badly"`
	Slope         float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch in hurt"`
	Threshold     float64 `toml:"threshold" min:"0" max:"1" unit:"share" doc:"hurt at which the hazard is half its rate"`
	Duration      float64 `toml:"duration" min:"1" max:"3650" unit:"days" doc:"length of an operation"`
	Attrition     float64 `toml:"attrition" min:"0" max:"0.1" unit:"1/day" doc:"daily share of fighters an operation at full capacity removes"`
	DefectionPush float64 `toml:"defection_push" min:"0" max:"100" unit:"factor" doc:"extra defection to the rival during and after an operation"`
}

// StateConcedes: the state delivers agreed concessions in batches.
type StateConcedes struct {
	Enabled      bool    `toml:"enabled" doc:"rule is active"`
	Rate         float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard of a batch per item during talks"`
	CalmGain     float64 `toml:"calm_gain" min:"0" max:"100" unit:"factor" doc:"extra pace while a ceasefire holds"`
	LeverageGain float64 `toml:"leverage_gain" min:"0" max:"100" unit:"factor" doc:"extra pace per unit of the insurgent's leverage over the state"`
}

// InsurgentWalksOut: the leadership walks out, or ends a ceasefire, when
// fulfilment stays below its expectation for longer than its patience.
type InsurgentWalksOut struct {
	Enabled      bool    `toml:"enabled" doc:"rule is active"`
	Baseline     float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of walking out for reasons outside the model; 0 = none)"`
	GapTolerance float64 `toml:"gap_tolerance" min:"0" max:"0.99" unit:"share" doc:"relative shortfall (E − F)/E of fulfilment below expectation that counts as frustrating; always reachable, since F = 0 gives 1"`
	Rate         float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when frustration far exceeds patience"`
	Slope        float64 `toml:"slope" min:"0" max:"100" unit:"1/ratio" doc:"steepness of the switch in frustration/patience"`
}

// InsurgentDeclaresCeasefire: during talks, the leadership declares a
// ceasefire for a fixed term when pressed and when talks progress.
type InsurgentDeclaresCeasefire struct {
	Enabled  bool    `toml:"enabled" doc:"rule is active"`
	Baseline float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of a declaration for reasons outside the model; 0 = none)"`
	// BaselineFrom is the first day the baseline applies. Before it the
	// scenario's own declaration events are the documented declarations,
	// so undocumented ones are not added to them; a backtest moves it to
	// its origin (what is undocumented at the origin is the future).
	BaselineFrom Date    `toml:"baseline_from" doc:"first day the baseline applies: before it the scenario's declaration events are the documented ones (the day after the documented history; unset = from the start)"`
	Rate         float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when ready"`
	Slope        float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch in readiness"`
	Threshold    float64 `toml:"threshold" min:"0" max:"2" unit:"share" doc:"readiness at which the hazard is half its rate"`
	Term         float64 `toml:"term" min:"1" max:"3650" unit:"days" doc:"term of a declared ceasefire"`
}

// InsurgentExtends: at the end of a ceasefire's term, the leadership extends
// it or lets it lapse.
type InsurgentExtends struct {
	Enabled         bool    `toml:"enabled" doc:"rule is active (disabled: terms always lapse)"`
	Base            float64 `toml:"base" min:"-20" max:"20" unit:"logit" doc:"log-odds of extending when fulfilment meets expectation and nobody presses"`
	GapSlope        float64 `toml:"gap_slope" min:"0" max:"100" unit:"logit/share" doc:"log-odds gained per unit of fulfilment above expectation"`
	PressSlope      float64 `toml:"press_slope" min:"0" max:"100" unit:"logit/share" doc:"log-odds gained per unit of mediator pressure times its leverage"`
	ExtensionDays   float64 `toml:"extension_days" min:"1" max:"3650" unit:"days" doc:"term of an extension"`
	IndefiniteAfter int     `toml:"indefinite_after" min:"1" max:"100" unit:"extensions" doc:"after this many extensions the ceasefire becomes indefinite"`
}

// FactionSpoils: a hard-line faction spoils talks it expects to lose by,
// attacking during the ceasefire, often through a proxy.
type FactionSpoils struct {
	Enabled       bool    `toml:"enabled" doc:"rule is active"`
	Baseline      float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of spoiling for reasons outside the model; 0 = none)"`
	Rate          float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when far more hard-line than the leadership"`
	Slope         float64 `toml:"slope" min:"0" max:"100" unit:"1/score" doc:"steepness of the switch"`
	Threshold     float64 `toml:"threshold" min:"-1" max:"2" unit:"score" doc:"driver at which the hazard is half its rate"`
	Intensity     float64 `toml:"intensity" min:"0" max:"1" unit:"factor" doc:"least multiple of its open-conflict rate at which a spoiling faction attacks, ignoring the ceasefire (at most 1: a spoiler does not attack above its open-conflict rate)"`
	Attribution   float64 `toml:"attribution" min:"0" max:"1" unit:"share" doc:"share of proxy attacks the state blames on the insurgent"`
	GrievanceGain float64 `toml:"grievance_gain" min:"0" max:"10" unit:"score" doc:"added to the spoiling driver per unit of the faction's grievance (a leader killed, strikes)"`
}

// FactionSplits: a hard-line, disloyal faction leaves the umbrella over talks.
type FactionSplits struct {
	Enabled    bool    `toml:"enabled" doc:"rule is active"`
	Baseline   float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of a split for reasons outside the model; 0 = none)"`
	Rate       float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when far from the leadership"`
	Slope      float64 `toml:"slope" min:"0" max:"100" unit:"1/score" doc:"steepness of the switch"`
	Threshold  float64 `toml:"threshold" min:"-1" max:"3" unit:"score" doc:"driver at which the hazard is half its rate"`
	SpoilBonus float64 `toml:"spoil_bonus" min:"0" max:"2" unit:"score" doc:"added to the driver while the faction spoils"`
}

// FactionRemerges: a splinter rejoins once the umbrella has hardened again.
type FactionRemerges struct {
	Enabled   bool    `toml:"enabled" doc:"rule is active"`
	Baseline  float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of a re-merger for reasons outside the model; 0 = none)"`
	Rate      float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when close to the leadership"`
	Slope     float64 `toml:"slope" min:"0" max:"100" unit:"1/score" doc:"steepness of the switch in closeness"`
	Threshold float64 `toml:"threshold" min:"0" max:"1" unit:"score" doc:"closeness (1 - |hardline gap|) at which the hazard is half its rate"`
	MinDays   float64 `toml:"min_days" min:"0" max:"36500" unit:"days" doc:"days after the split before a re-merger is possible"`
}

// FightersDefect: hard-line fighters defect to the rival, more so under
// mediator pressure, when a deal nears, and under military operations.
type FightersDefect struct {
	Enabled         bool    `toml:"enabled" doc:"rule is active"`
	Base            float64 `toml:"base" min:"0" max:"1" unit:"1/day" doc:"daily defection rate per fighter at full hardline and appeal"`
	PressGain       float64 `toml:"press_gain" min:"0" max:"100" unit:"factor" doc:"extra defection per unit of mediator pressure"`
	DealGain        float64 `toml:"deal_gain" min:"0" max:"100" unit:"factor" doc:"extra defection per unit of closeness to a deal"`
	FactionRate     float64 `toml:"faction_rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard that a whole faction defects, at full pull"`
	FactionBaseline float64 `toml:"faction_baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard that a whole faction defects, whatever its pull (0 = none)"`
	Slope           float64 `toml:"slope" min:"0" max:"100" unit:"1/pull" doc:"steepness of the whole-faction switch"`
	Threshold       float64 `toml:"threshold" min:"0" max:"10" unit:"pull" doc:"pull at which the whole-faction hazard is half its rate"`
}

// MediatorPresses: the mediator presses the insurgent while a deal is in its
// interest, and stops when pressing drives too many to the rival.
type MediatorPresses struct {
	Enabled        bool    `toml:"enabled" doc:"rule is active"`
	Threshold      float64 `toml:"threshold" min:"0" max:"2" unit:"share" doc:"interest times (1 + state leverage over it) above which it presses"`
	FearDefections float64 `toml:"fear_defections" min:"0" max:"100000" unit:"fighters/30 days" doc:"defections to the rival in 30 days at which it stops pressing"`
	Cooldown       float64 `toml:"cooldown" min:"0" max:"3650" unit:"days" doc:"days before it presses again after stopping"`
}

// MediatorStopsHosting: the mediator stops hosting when its costs exceed its
// gains.
type MediatorStopsHosting struct {
	Enabled   bool    `toml:"enabled" doc:"rule is active"`
	Baseline  float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of stopping for reasons outside the model; 0 = none)"`
	Rate      float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when costs far exceed gains"`
	Slope     float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch"`
	Threshold float64 `toml:"threshold" min:"-2" max:"2" unit:"share" doc:"cost minus gain at which the hazard is half its rate"`
	Cooldown  float64 `toml:"cooldown" min:"0" max:"3650" unit:"days" doc:"days it refuses to host after stopping"`
}

// TalksOpen: talks open when the conflict is ripe (a hurting stalemate and a
// mediator offering a way out).
type TalksOpen struct {
	Enabled   bool    `toml:"enabled" doc:"rule is active"`
	Baseline  float64 `toml:"baseline" min:"0" max:"1" unit:"1/day" doc:"explicit baseline hazard (daily hazard of talks opening for reasons outside the model; 0 = none)"`
	Rate      float64 `toml:"rate" min:"0" max:"10" unit:"1/day" doc:"daily hazard when fully ripe"`
	Slope     float64 `toml:"slope" min:"0" max:"100" unit:"1/share" doc:"steepness of the switch in ripeness"`
	Threshold float64 `toml:"threshold" min:"0" max:"2" unit:"share" doc:"ripeness at which the hazard is half its rate"`
	Cooldown  float64 `toml:"cooldown" min:"0" max:"3650" unit:"days" doc:"days after talks end before they can reopen"`
}

// SettlementCollapses: a signed settlement can still collapse.
type SettlementCollapses struct {
	Enabled     bool    `toml:"enabled" doc:"rule is active"`
	Rate        float64 `toml:"rate" min:"0" max:"1" unit:"1/day" doc:"daily collapse hazard of a settlement without spoilers"`
	SpoilerGain float64 `toml:"spoiler_gain" min:"0" max:"100" unit:"factor" doc:"extra hazard per unit share of hard-line fighters in the umbrella"`
}

// Bargaining sets the alternating-offers protocol that fixes the agreed
// terms of each demand item.
type Bargaining struct {
	RoundDays    float64 `toml:"round_days" min:"0.1" max:"365" unit:"days" doc:"days between offers"`
	BaseCost     float64 `toml:"base_cost" min:"0" max:"1" unit:"1/day" doc:"cost of delay to either side with no pain at all"`
	PainCost     float64 `toml:"pain_cost" min:"0" max:"1" unit:"1/day" doc:"cost of delay per unit of hurt (state) or of pressure and losses (insurgent)"`
	DeadlockDays float64 `toml:"deadlock_days" min:"0" max:"3650" unit:"days" doc:"days of talks after which a deadlocked item (state maximum below the insurgent's reservation) is recognised as such by both sides"`
}

// MediatorInterest: the mediator's interest in a deal changes over time. The
// legitimacy it hoped to gain from hosting wears off while hosted talks
// deliver no settlement, and the state adds carrots and sticks (trade,
// transit, aid) the more it hurts.
type MediatorInterest struct {
	Fatigue     float64 `toml:"fatigue" min:"0" max:"1" unit:"share" doc:"share of its interest the mediator loses after long hosting without a settlement"`
	FatigueDays float64 `toml:"fatigue_days" min:"0" max:"36500" unit:"days" doc:"days of hosting without a settlement over which fatigue builds up (time constant; 0 = no fatigue)"`
	CarrotGain  float64 `toml:"carrot_gain" min:"0" max:"10" unit:"share" doc:"interest added per unit of the state's leverage over the mediator times the state's hurt"`
}

// Memory: the history of broken agreements weighs on the insurgent's trust
// in the next one.
type Memory struct {
	Distrust float64 `toml:"distrust" min:"0" max:"1" unit:"share" doc:"share of trust lost per broken earlier deal (insurgent.broken_deals): trust = (1 − distrust)^broken_deals"`
}
