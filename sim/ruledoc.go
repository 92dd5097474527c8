package sim

import (
	"fmt"
	"strings"
)

// RuleDoc documents one decision rule in plain words: when it applies, its
// formula, its effect, the parameters it reads and the historical fact it
// rests on. It is the single source for the rule sections of MODEL.md and
// for the browser's "explain" view.
type RuleDoc struct {
	Name    string   // the rule's key under [rules], e.g. "state_ends_ceasefire"
	Agent   string   // state, insurgent, faction, mediator or both
	Summary string   // one sentence
	When    string   // the phases or conditions in which it is evaluated
	Formula string   // its hazard or decision, in the notation of MODEL.md
	Effect  string   // what happens when it fires
	Fact    string   // the documented history it rests on
	Params  []string // scenario keys it reads (besides enabled)
}

// RuleDocs lists every rule in the order the model evaluates them each step.
func RuleDocs() []RuleDoc {
	return []RuleDoc{
		{"insurgent_extends", "insurgent",
			"At the end of a ceasefire's term the leadership extends it, or lets it lapse.",
			"ceasefire with a fixed term, on the day the term ends",
			"P(extend) = σ(base + gap_slope·(F − E) + press_slope·p·L[mediator→insurgent])",
			"extended by extension_days; after indefinite_after extensions it becomes indefinite. Otherwise it lapses: ceasefire ends (ended_by insurgent), talks end, conflict",
			"Dec 2021: TTP refused to extend the one-month ceasefire because the 102 prisoners were not released (episodes.csv E08). 2022: extended twice, then made indefinite (E09).",
			[]string{"rules.insurgent_extends.base", "rules.insurgent_extends.gap_slope", "rules.insurgent_extends.press_slope", "rules.insurgent_extends.extension_days", "rules.insurgent_extends.indefinite_after"}},
		{"state_ends_ceasefire", "state",
			"The state ends a ceasefire when the attacks it blames on the insurgent in 30 days exceed its tolerance.",
			"ceasefire",
			"h = rate·σ(slope·(V₃₀/tolerance − 1)), V₃₀ = member attacks + attribution·(splinter + rival attacks) + spoiler attribution·(proxy attacks) over the last 30 days",
			"ceasefire ends (ended_by state), talks end; with probability strike_share the state also strikes",
			"The 2014 ceasefire was undermined by proxy attacks (Ahrar-ul-Hind, seed 003); in June-July 2022, 26-33 attacks a month did not end the ceasefire (seed 001): the state tolerates violence it can attribute to others.",
			[]string{"rules.state_ends_ceasefire.tolerance", "rules.state_ends_ceasefire.attribution", "rules.state_ends_ceasefire.rate", "rules.state_ends_ceasefire.slope", "rules.state_ends_ceasefire.strike_share"}},
		{"state_walks_out", "state",
			"The state leaves talks when the audience cost of what it has conceded outweighs the pain the talks relieve.",
			"talks or ceasefire",
			"h = rate·σ(slope·(audience_cost·F − hurt − threshold)), hurt = pain/(pain + pain_scale)",
			"talks (and any ceasefire) end, ended_by state",
			"Statements that talks are 'under the Constitution' angered TTP (seed 002); concessions such as the FATA reversal were politically impossible (E09).",
			[]string{"state.audience_cost", "rules.state_walks_out.rate", "rules.state_walks_out.slope", "rules.state_walks_out.threshold"}},
		{"insurgent_walks_out", "insurgent",
			"The leadership walks out, or ends a ceasefire, when demand fulfilment stays below its expectation for longer than its patience.",
			"talks or ceasefire",
			"frustration grows by one day per day with E − F > gap_tolerance and shrinks by one otherwise; h = rate·σ(slope·(frustration/patience − 1))",
			"talks and any ceasefire end, ended_by insurgent",
			"Unmet demands ended ceasefires from the insurgent side in 2014 and 2021 (facts.md, fact 3).",
			[]string{"insurgent.patience", "insurgent.expect_days", "rules.insurgent_walks_out.gap_tolerance", "rules.insurgent_walks_out.rate", "rules.insurgent_walks_out.slope"}},
		{"mediator_presses", "mediator",
			"The mediator presses the insurgent while a deal is in its interest, and stops when pressing drives too many fighters to the rival.",
			"talks or ceasefire, while it hosts",
			"presses while interest·(1 + L[state→mediator]) ≥ threshold; stops when defections to the rival in 30 days > fear_defections (then waits cooldown days). Applied pressure p = pressure·min(1, 2(1 − bias))",
			"p raises defections of member factions and the insurgent's readiness to declare and extend ceasefires, and its cost of delay in bargaining",
			"The Afghan Taliban will not coerce TTP for fear of defections to ISKP (seed 003; facts.md, fact 6).",
			[]string{"mediator.interest", "mediator.pressure", "mediator.bias", "rules.mediator_presses.threshold", "rules.mediator_presses.fear_defections", "rules.mediator_presses.cooldown"}},
		{"mediator_stops_hosting", "mediator",
			"The mediator stops hosting when its costs exceed its gains.",
			"talks or ceasefire, while it hosts",
			"h = rate·σ(slope·(L[rival→mediator] + grievance − interest − threshold)); grievance rises with each state strike and halves every 90 days",
			"talks and any ceasefire end, ended_by mediator; no hosting for cooldown days",
			"The Taliban's costs: the ISKP threat to its rule and Pakistani strikes on its soil (April 2022); its gains: legitimacy and unfrozen funds (seed 001).",
			[]string{"mediator.interest", "rival.threat", "rules.mediator_stops_hosting.rate", "rules.mediator_stops_hosting.slope", "rules.mediator_stops_hosting.threshold", "rules.mediator_stops_hosting.cooldown"}},
		{"state_strikes", "state",
			"A hurting state strikes the insurgent's sanctuary.",
			"conflict or talks (not during a ceasefire)",
			"h = rate·σ(slope·(hurt − threshold))",
			"kills kill·capacity of every faction's fighters; adds grievance to the mediator; adds to the insurgent's losses; wears the factions' organisational capacity, adds to the insurgent's grievance and triggers retaliation (§3.3.1–3.3.2)",
			"16 April 2022: Pakistani air strikes in Khost and Kunar, 47 killed, after an ambush in North Waziristan (shocks.csv).",
			[]string{"state.capacity", "rules.state_strikes.rate", "rules.state_strikes.slope", "rules.state_strikes.threshold", "rules.state_strikes.kill", "rules.state_strikes.grievance"}},
		{"state_operation", "state",
			"After talks have failed, a hurting state launches a large military operation.",
			"conflict, once talks have failed at least once",
			"h = rate·σ(slope·(hurt·(1 − distraction) − threshold))",
			"phase operation for duration days: fighters fall by attrition·capacity a day, organisational capacity is worn by operation_wear·L[state→insurgent] (§3.3.2), the insurgent hits back (its intent moves toward operation_surge), defection to the rival is pushed (defection_push) for the operation and 180 days after",
			"Talks failed in spring 2014; Zarb-e-Azb began 15 June 2014; TTP leaders defected to IS in 2014-15 (shocks.csv; facts.md, fact 5).",
			[]string{"state.distraction", "state.capacity", "rules.state_operation.rate", "rules.state_operation.slope", "rules.state_operation.threshold", "rules.state_operation.duration", "rules.state_operation.attrition", "rules.state_operation.defection_push"}},
		{"faction_spoils", "faction",
			"A hard-line faction spoils talks it expects to lose by, attacking through proxies whatever the ceasefire.",
			"talks or ceasefire, member factions",
			"h = rate·σ(slope·((hardline_f − hardline_leader)·(1 + c) − threshold)), c = closeness to the agreed terms",
			"the faction attacks at least at intensity × its open-conflict rate (intensity ≤ 1), ignoring the ceasefire; the state blames attribution of those attacks on the insurgent; spoiling stops when talks end, but the faction keeps its multiple until the umbrella's escalation overtakes it (§3.3.2)",
			"Khorasani (JuA) sabotaged the 2013-14 talks with attacks claimed by Ahrar-ul-Hind (seed 003; facts.md, fact 4).",
			[]string{"rules.faction_spoils.rate", "rules.faction_spoils.slope", "rules.faction_spoils.threshold", "rules.faction_spoils.intensity", "rules.faction_spoils.attribution"}},
		{"faction_splits", "faction",
			"A disloyal, hard-line faction leaves the umbrella over talks.",
			"talks, ceasefire or settlement, member factions",
			"h = rate·σ(slope·((1 − loyalty_f) + (hardline_f − hardline_leader) + spoil_bonus·[spoiling] − threshold))",
			"the faction becomes a splinter: it ignores ceasefires and its attacks are its own",
			"JuA split in Aug/Sept 2014 over the talks; Ahrar-ul-Hind in Feb 2014 (seed 003; shocks.csv).",
			[]string{"rules.faction_splits.rate", "rules.faction_splits.slope", "rules.faction_splits.threshold", "rules.faction_splits.spoil_bonus"}},
		{"faction_remerges", "faction",
			"A splinter rejoins once the umbrella has hardened again.",
			"conflict or operation, splinters at least min_days after their split",
			"h = rate·σ(slope·(1 − |hardline_f − hardline_leader| − threshold))",
			"the splinter is a member again",
			"JuA and HuA rejoined TTP in Aug 2020, when there were no talks (seed 003; shocks.csv).",
			[]string{"rules.faction_remerges.rate", "rules.faction_remerges.slope", "rules.faction_remerges.threshold", "rules.faction_remerges.min_days"}},
		{"fighters_defect", "faction",
			"Hard-line fighters go over to the rival, more so under mediator pressure, as a deal nears and under military operations; sometimes a whole faction does.",
			"every step, members and splinters",
			"fighters: Poisson with rate base·fighters_f·hardline_f·L[rival→insurgent]·push, push = 1 + operation push + (members) press_gain·p + deal_gain·c; whole faction: h = faction_rate·σ(slope·(hardline_f·appeal·push − threshold))",
			"fighters move to the rival; a whole faction takes all its fighters and leaves the game",
			"ISKP welcomed many former TTP fighters; hard-liners might defect if a deal is struck (seed 001, 003); 2014-15 defections under military pressure (shocks.csv).",
			[]string{"rival.appeal", "rules.fighters_defect.base", "rules.fighters_defect.press_gain", "rules.fighters_defect.deal_gain", "rules.fighters_defect.faction_rate", "rules.fighters_defect.slope", "rules.fighters_defect.threshold"}},
		{"talks_open", "mediator",
			"Talks open when the conflict is ripe: both sides hurt and the mediator offers a way out.",
			"conflict (not an operation), the mediator willing to host, cooldown days after the last talks",
			"ripeness = √(hurt_state · max(hurt_insurgent, interest·L[mediator→insurgent])); h = rate·σ(slope·(ripeness − threshold))",
			"phase talks; the bargaining fixes the terms",
			"Zartman's ripeness (a mutually hurting stalemate and a way out); Pakistan sought talks after the fall of Kabul, with the Taliban as way out (seed 004).",
			[]string{"mediator.interest", "rules.talks_open.rate", "rules.talks_open.slope", "rules.talks_open.threshold", "rules.talks_open.cooldown"}},
		{"insurgent_declares_ceasefire", "insurgent",
			"During talks the leadership declares a fixed-term ceasefire when pressed and when the talks progress.",
			"talks",
			"readiness = p·L[mediator→insurgent] + c; h = rate·σ(slope·(readiness − threshold))",
			"a ceasefire for term days",
			"TTP ceasefires are unilateral declarations for a month, made during mediated talks (2014, 2021; episodes.csv).",
			[]string{"rules.insurgent_declares_ceasefire.rate", "rules.insurgent_declares_ceasefire.slope", "rules.insurgent_declares_ceasefire.threshold", "rules.insurgent_declares_ceasefire.term"}},
		{"state_concedes", "state",
			"The state delivers the agreed concessions item by item, in batches.",
			"talks or ceasefire, items below their agreed level",
			"each item: a batch with hazard rate·(1 + leverage_gain·L[insurgent→state])·(1 − audience_cost)·(1 + calm_gain·[ceasefire]); a batch adds batch/units to the item's fulfilment, up to the agreed level",
			"fulfilment F rises",
			"Prisoners were released in batches (30 + 12 + 50 low-level prisoners, Dec 2021; two commanders, May 2022; shocks.csv), never the list of 102.",
			[]string{"state.audience_cost", "rules.state_concedes.rate", "rules.state_concedes.calm_gain", "rules.state_concedes.leverage_gain"}},
		{"settlement", "both",
			"A settlement is signed once a ceasefire has delivered the agreed terms; it can still collapse.",
			"ceasefire (signing); settlement (collapse)",
			"signed when no item is deadlocked and F ≥ threshold·A; collapse hazard h = rate·(1 + spoiler_gain·share of hard-line member fighters)",
			"phase settlement; on collapse, conflict",
			"Walter: about half of negotiated civil-war settlements are implemented; every earlier Pakistan-militant deal (2004-2009) collapsed (episodes.csv).",
			[]string{"settlement.threshold", "rules.settlement_collapses.rate", "rules.settlement_collapses.spoiler_gain"}},
	}
}

// Explain renders a rule's documentation with the scenario's current values
// of its parameters, for people ("explain" views, MODEL.md).
func (d RuleDoc) Explain(s *Scenario) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n", d.Name, d.Agent, d.Summary)
	fmt.Fprintf(&b, "  when:    %s\n  formula: %s\n  effect:  %s\n  basis:   %s\n", d.When, d.Formula, d.Effect, d.Fact)
	if s != nil {
		var vals []string
		for _, k := range d.Params {
			if v, err := s.Get(k); err == nil {
				vals = append(vals, fmt.Sprintf("%s = %v", strings.TrimPrefix(k, "rules."+d.Name+"."), v))
			}
		}
		if len(vals) > 0 {
			fmt.Fprintf(&b, "  values:  %s\n", strings.Join(vals, ", "))
		}
	}
	return b.String()
}
