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
		{"mediator_interest", "mediator",
			"The mediator's interest in a deal changes over time: the legitimacy and funds it hopes for wear off while hosted talks bring no settlement, and a hurting state adds carrots and sticks.",
			"every step (fatigue builds while it hosts talks or a ceasefire)",
			"I = clamp(interest·(1 − fatigue·(1 − e^(−D/fatigue_days))) + carrot_gain·L[state→mediator]·hurt, 0, 1), D = days of hosted talks since the last settlement; L[state→mediator] = trade_leverage·(1 − grievance). Guarantee G = guarantee·min(1, I) while it hosts a ceasefire",
			"I replaces the scenario's interest in mediator_presses, mediator_stops_hosting and talks_open; G removes that share of the driver hazards of state_ends_ceasefire, state_walks_out and insurgent_walks_out during a ceasefire (not their baselines)",
			"Seed 001: the Taliban hope for legitimacy and unfrozen funds (23 million on aid); seed 002: Pakistan's carrots (support to the Taliban) and sticks; seed 000: talks held 'on the assurances of the Haqqani Network'; seed 002: the Taliban 'has the capacity to be a guarantor'.",
			[]string{"mediator.interest", "mediator.guarantee", "state.trade_leverage", "rules.mediator_interest.fatigue", "rules.mediator_interest.fatigue_days", "rules.mediator_interest.carrot_gain"}},
		{"insurgent_extends", "insurgent",
			"At the end of a ceasefire's term the leadership extends it, or lets it lapse; the memory of broken deals lowers the odds.",
			"ceasefire with a fixed term, on the day the term ends",
			"P(extend) = σ(base + gap_slope·(F − E) + press_slope·p·L[mediator→insurgent] + ln trust), trust = (1 − distrust)^broken_deals",
			"extended by extension_days; after indefinite_after extensions it becomes indefinite. Otherwise it lapses: ceasefire ends (ended_by insurgent, driver F − E), talks end, conflict",
			"Dec 2021: TTP refused to extend the one-month ceasefire because the 102 prisoners were not released (episodes.csv E08). 2022: extended twice, then made indefinite (E09). Earlier deals (Shakai 2004, Srarogha 2005, Swat 2008, the 2014 talks) all failed (seeds 000, 002, 003).",
			[]string{"rules.insurgent_extends.base", "rules.insurgent_extends.gap_slope", "rules.insurgent_extends.press_slope", "rules.insurgent_extends.extension_days", "rules.insurgent_extends.indefinite_after", "insurgent.broken_deals", "rules.memory.distrust"}},
		{"state_ends_ceasefire", "state",
			"The state ends a ceasefire when the attacks it blames on the insurgent in 30 days exceed its tolerance.",
			"ceasefire",
			"h = baseline + rate·g(x), x = V₃₀/tolerance, threshold 1, driver term ×(1 − G); V₃₀ = member attacks + attribution·(splinter + rival attacks) + spoiler attribution·(proxy attacks) over the last 30 days",
			"ceasefire ends (ended_by state), talks end; with probability strike_share the state also strikes. The record says whether the baseline or the driver fired",
			"The 2014 ceasefire was undermined by proxy attacks (Ahrar-ul-Hind, seed 003); in June-July 2022, 26-33 attacks a month did not end the ceasefire (seed 001): the state tolerates violence it can attribute to others.",
			[]string{"rules.state_ends_ceasefire.baseline", "rules.state_ends_ceasefire.tolerance", "rules.state_ends_ceasefire.attribution", "rules.state_ends_ceasefire.rate", "rules.state_ends_ceasefire.slope", "rules.state_ends_ceasefire.strike_share"}},
		{"state_walks_out", "state",
			"The state leaves talks when the audience cost of what it has conceded, plus its own demands left unmet, outweighs the pain the talks relieve.",
			"talks or ceasefire",
			"h = baseline + rate·g(x), x = audience_cost·F + demands·T − hurt, T = fighter-weighted mean hard-line score of member factions, hurt = pain/(pain + pain_scale); driver term ×(1 − G) in a ceasefire",
			"talks (and any ceasefire) end, ended_by state",
			"Statements that talks are 'under the Constitution' angered TTP (seed 002); concessions such as the FATA reversal were politically impossible (E09). The state's demands: TTP to disband and sever ties with ISIS (seed 001); Shakai 2004 broke on the registration of foreign militants (E01).",
			[]string{"state.audience_cost", "state.demands", "rules.state_walks_out.baseline", "rules.state_walks_out.rate", "rules.state_walks_out.slope", "rules.state_walks_out.threshold"}},
		{"insurgent_walks_out", "insurgent",
			"The leadership walks out, or ends a ceasefire, when demand fulfilment stays below its expectation for longer than its patience.",
			"talks or ceasefire",
			"frustration grows by one day per day with (E − F)/E > gap_tolerance and shrinks by one otherwise; h = baseline + rate·g(x), x = frustration/(patience·trust), threshold 1; driver term ×(1 − G) in a ceasefire",
			"talks and any ceasefire end, ended_by insurgent",
			"Unmet demands ended ceasefires from the insurgent side in 2014 and 2021 (facts.md, fact 3); the memory of broken deals shortens patience (seeds 000, 002, 003).",
			[]string{"insurgent.patience", "insurgent.expect_days", "insurgent.broken_deals", "rules.memory.distrust", "rules.insurgent_walks_out.baseline", "rules.insurgent_walks_out.gap_tolerance", "rules.insurgent_walks_out.rate", "rules.insurgent_walks_out.slope"}},
		{"mediator_presses", "mediator",
			"The mediator presses the insurgent while a deal is in its interest, and stops when pressing drives too many fighters to the rival.",
			"talks or ceasefire, while it hosts",
			"presses while I·(1 + L[state→mediator]) ≥ threshold (I from mediator_interest); stops when defections to the rival in 30 days > fear_defections (then waits cooldown days). Applied pressure p = pressure·min(1, 2(1 − bias))",
			"p raises defections of member factions and the insurgent's readiness to declare and extend ceasefires, and its cost of delay in bargaining; it lowers the spoiling driver by p·L[mediator→insurgent]",
			"The Afghan Taliban will not coerce TTP for fear of defections to ISKP (seed 003; facts.md, fact 6).",
			[]string{"mediator.interest", "mediator.pressure", "mediator.bias", "rules.mediator_presses.threshold", "rules.mediator_presses.fear_defections", "rules.mediator_presses.cooldown"}},
		{"mediator_stops_hosting", "mediator",
			"The mediator stops hosting when its costs exceed its gains.",
			"talks or ceasefire, while it hosts",
			"h = baseline + rate·g(x), x = L[rival→mediator] + grievance − I; grievance rises with each state strike and halves every 90 days",
			"talks and any ceasefire end, ended_by mediator; no hosting for cooldown days",
			"The Taliban's costs: the ISKP threat to its rule and Pakistani strikes on its soil (April 2022); its gains: legitimacy and unfrozen funds (seed 001).",
			[]string{"mediator.interest", "rival.threat", "rules.mediator_stops_hosting.baseline", "rules.mediator_stops_hosting.rate", "rules.mediator_stops_hosting.slope", "rules.mediator_stops_hosting.threshold", "rules.mediator_stops_hosting.cooldown"}},
		{"state_strikes", "state",
			"A hurting state strikes the insurgent's sanctuary, restrained by the mediator's leverage over it.",
			"conflict or talks (not during a ceasefire)",
			"h = baseline + rate·g(x), x = hurt − restraint·L[mediator→state], L[mediator→state] = sanctuary·dependence·bias",
			"kills kill·capacity of every faction's fighters; adds grievance to the mediator and to every faction; adds to the insurgent's losses; wears the factions' organisational capacity, adds to the leadership's grievance and triggers retaliation (§3.3.1–3.3.2)",
			"16 April 2022: Pakistani air strikes in Khost and Kunar, 47 killed, after an ambush in North Waziristan (shocks.csv); the Taliban, hosts of the TTP, 'frustrated their former benefactors' (seed 001).",
			[]string{"state.capacity", "rules.state_strikes.baseline", "rules.state_strikes.rate", "rules.state_strikes.slope", "rules.state_strikes.threshold", "rules.state_strikes.kill", "rules.state_strikes.grievance", "rules.state_strikes.restraint"}},
		{"state_operation", "state",
			"After talks have failed, a hurting state launches a large military operation.",
			"conflict, once talks have failed at least once",
			"h = baseline + rate·g(x), x = hurt·(1 − distraction)",
			"phase operation for duration days: fighters fall by attrition·capacity a day, organisational capacity is worn by operation_wear·L[state→insurgent] (§3.3.2), the insurgent hits back (its intent moves toward operation_surge), defection to the rival is pushed (defection_push) for the operation and 180 days after",
			"Talks failed in spring 2014; Zarb-e-Azb began 15 June 2014; TTP leaders defected to IS in 2014-15 (shocks.csv; facts.md, fact 5).",
			[]string{"state.distraction", "state.capacity", "rules.state_operation.baseline", "rules.state_operation.rate", "rules.state_operation.slope", "rules.state_operation.threshold", "rules.state_operation.duration", "rules.state_operation.attrition", "rules.state_operation.defection_push"}},
		{"faction_spoils", "faction",
			"A hard-line faction spoils talks it expects to lose by, attacking through proxies whatever the ceasefire; a grievance (a leader killed, strikes) drives it on, the mediator's pressure reins it in.",
			"talks or ceasefire, member factions",
			"h = baseline + rate·g(x), x = (hardline_f − hardline_leader)·(1 + c) + grievance_gain·grievance_f − p·L[mediator→insurgent], c = deadlock-aware closeness to signable terms",
			"the faction attacks at least at intensity × its open-conflict rate (intensity ≤ 1), ignoring the ceasefire; the state blames attribution of those attacks on the insurgent; spoiling stops when talks end, but the faction keeps its multiple until the umbrella's escalation overtakes it (§3.3.2)",
			"Khorasani (JuA) sabotaged the 2013-14 talks with attacks claimed by Ahrar-ul-Hind (seed 003; facts.md, fact 4); TTP blamed Pakistan for Khorasani's death in Aug 2022 (seed 001).",
			[]string{"rules.faction_spoils.baseline", "rules.faction_spoils.rate", "rules.faction_spoils.slope", "rules.faction_spoils.threshold", "rules.faction_spoils.intensity", "rules.faction_spoils.attribution", "rules.faction_spoils.grievance_gain"}},
		{"faction_splits", "faction",
			"A disloyal, hard-line faction leaves the umbrella over talks or under a military operation.",
			"talks, ceasefire, settlement or operation, member factions",
			"h = baseline + rate·g(x), x = (1 − loyalty_f) + (hardline_f − hardline_leader) + spoil_bonus·[spoiling]",
			"the faction becomes a splinter: it ignores ceasefires and its attacks are its own",
			"JuA split in Aug/Sept 2014, over the talks and during Zarb-e-Azb; Ahrar-ul-Hind in Feb 2014 (seed 003; shocks.csv 2014-09-04).",
			[]string{"rules.faction_splits.baseline", "rules.faction_splits.rate", "rules.faction_splits.slope", "rules.faction_splits.threshold", "rules.faction_splits.spoil_bonus"}},
		{"faction_remerges", "faction",
			"A splinter rejoins once the umbrella has hardened again.",
			"conflict or operation, splinters at least min_days after their split",
			"h = baseline + rate·g(x), x = 1 − |hardline_f − hardline_leader|",
			"the splinter is a member again",
			"JuA and HuA rejoined TTP in Aug 2020, when there were no talks (seed 003; shocks.csv).",
			[]string{"rules.faction_remerges.baseline", "rules.faction_remerges.rate", "rules.faction_remerges.slope", "rules.faction_remerges.threshold", "rules.faction_remerges.min_days"}},
		{"fighters_defect", "faction",
			"Hard-line fighters go over to the rival, more so under mediator pressure, as a deal nears and under military operations; sometimes a whole faction does, unless it is loyal to the emir.",
			"every step, members and splinters",
			"fighters: Poisson with rate base·fighters_f·hardline_f·L[rival→insurgent]·push, push = 1 + operation push + (members) press_gain·p + deal_gain·c; whole faction: h = faction_baseline + faction_rate·g(x), x = hardline_f·appeal·push·(1 − loyalty_f)",
			"fighters move to the rival; a whole faction takes all its fighters and leaves the game",
			"ISKP welcomed many former TTP fighters; hard-liners might defect if a deal is struck (seed 001, 003); 2014-15 defections under military pressure (shocks.csv). The TTP emir is under the bayat of the Taliban's leader and the Mehsud core is his own (seed 004): a loyal faction does not go over to the emirate's enemy.",
			[]string{"rival.appeal", "rules.fighters_defect.base", "rules.fighters_defect.press_gain", "rules.fighters_defect.deal_gain", "rules.fighters_defect.faction_baseline", "rules.fighters_defect.faction_rate", "rules.fighters_defect.slope", "rules.fighters_defect.threshold"}},
		{"talks_open", "mediator",
			"Talks open when the conflict is ripe: both sides hurt and the mediator offers a way out.",
			"conflict (not an operation), the mediator willing to host, cooldown days after the last talks",
			"ripeness = √(hurt_state · max(hurt_insurgent, I·L[mediator→insurgent])); h = baseline + rate·g(x), x = ripeness",
			"phase talks; the bargaining fixes the terms",
			"Zartman's ripeness (a mutually hurting stalemate and a way out); Pakistan sought talks after the fall of Kabul, with the Taliban as way out (seed 004).",
			[]string{"mediator.interest", "rules.talks_open.baseline", "rules.talks_open.rate", "rules.talks_open.slope", "rules.talks_open.threshold", "rules.talks_open.cooldown"}},
		{"insurgent_declares_ceasefire", "insurgent",
			"During talks the leadership declares a fixed-term ceasefire when pressed and when the talks progress.",
			"talks",
			"readiness = p·L[mediator→insurgent] + c (c deadlock-aware); h = baseline + rate·g(x), x = readiness; the baseline applies from baseline_from on (before it, the scenario's declaration events are the documented declarations; a backtest moves it to its origin)",
			"a ceasefire for term days",
			"TTP ceasefires are unilateral declarations for a month, made during mediated talks (2014, 2021; episodes.csv). The reference's baseline, 0.011 a day from 2022-11-01, is the documented rate: 2 declarations (E08, E09) in 181 days of talks without a ceasefire, 2021-10-01 (shocks.csv) to 2022-10-31.",
			[]string{"rules.insurgent_declares_ceasefire.baseline", "rules.insurgent_declares_ceasefire.baseline_from", "rules.insurgent_declares_ceasefire.rate", "rules.insurgent_declares_ceasefire.slope", "rules.insurgent_declares_ceasefire.threshold", "rules.insurgent_declares_ceasefire.term"}},
		{"bargaining", "both",
			"Alternating offers fix each item's terms; an item whose state maximum is below the insurgent's reservation is deadlocked, and after deadlock_days of talks both sides recognise it.",
			"when talks open and every 30 days of talks",
			"Rubinstein split x* = (1 − δ_s)/(1 − δ_i·δ_s), clipped to [reservation, state_max] (§3.3.4); closeness c = Σ_k w_k·[not deadlocked]·min(1, f_k/a_k)/Σ_k w_k; deadlock recognised once τ ≥ deadlock_days with an item deadlocked, cleared when a round finds none",
			"c < 1 while any item is deadlocked (c ≤ 1 − deadlocked weight share); the recognised deadlock outlives the talks (Model.DeadlockRecognised, for the leadership's campaign intent)",
			"The FATA merger was the sticking point of 2022 (E09); Khorasani held that the state 'could never accept' sharia and that talks failing meant war (seed 003).",
			[]string{"rules.bargaining.round_days", "rules.bargaining.base_cost", "rules.bargaining.pain_cost", "rules.bargaining.deadlock_days"}},
		{"state_concedes", "state",
			"The state delivers the agreed concessions item by item, in batches, as far as the insurgent meets the state's own demands.",
			"talks or ceasefire, items below their agreed level",
			"each item: a batch with hazard rate·(1 + leverage_gain·L[insurgent→state])·(1 − audience_cost)·(1 + calm_gain·[ceasefire])·(1 − demands·T); a batch adds batch/units to the item's fulfilment, up to the agreed level",
			"fulfilment F rises",
			"Prisoners were released in batches (30 + 12 + 50 low-level prisoners, Dec 2021; two commanders, May 2022; shocks.csv), never the list of 102; Pakistan wants TTP to disband and sever ties with ISIS (seed 001).",
			[]string{"state.audience_cost", "state.demands", "rules.state_concedes.rate", "rules.state_concedes.calm_gain", "rules.state_concedes.leverage_gain"}},
		{"settlement", "both",
			"A settlement is signed once a ceasefire has delivered the agreed terms; it can still collapse.",
			"ceasefire (signing); settlement (collapse)",
			"signed when no item is deadlocked and F ≥ threshold·A; collapse hazard h = rate·(1 + spoiler_gain·share of hard-line member fighters) (a constant baseline plus its driver)",
			"phase settlement; on collapse, conflict. Signing resets the mediator's fatigue",
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
