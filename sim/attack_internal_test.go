package sim

import (
	"testing"

	"github.com/BurntSushi/toml"
)

// TestSpoilersCarryIntoTheUmbrella checks point 3 of issue 10 at the shipped
// values of base.toml, faction by faction: a spoiling faction during a
// ceasefire attacks at no more than its open-conflict multiple (intent 1),
// and once the talks collapse (spoiling cleared, the leadership's intent
// still at its ceasefire level) its multiple does not drop.
func TestSpoilersCarryIntoTheUmbrella(t *testing.T) {
	var sc Scenario
	if _, err := toml.DecodeFile("../scenarios/base.toml", &sc); err != nil {
		t.Fatal(err)
	}
	m, err := New(&sc)
	if err != nil {
		t.Fatal(err)
	}
	for k := range m.facs {
		m.Reset(1, 0)
		f, cfg := &m.facs[k], &m.p.Insurgent.Factions[k]
		m.phase, m.intent = Conflict, 1
		open := m.multiple(f, cfg)
		m.phase, m.intent = Ceasefire, 1-sc.Insurgent.Compliance
		f.spoiling = true
		spoil := m.multiple(f, cfg)
		if spoil > open+1e-12 {
			t.Errorf("%s spoiling in a ceasefire attacks at %.3f × its rate, above its open-conflict %.3f", cfg.Name, spoil, open)
		}
		if spoil < m.p.Rules.FactionSpoils.Intensity-1e-12 {
			t.Errorf("%s spoiling attacks at %.3f, below the spoiler intensity %.3f", cfg.Name, spoil, m.p.Rules.FactionSpoils.Intensity)
		}
		// Talks collapse: endTalks clears spoiling; the leadership's intent
		// starts from its ceasefire level.
		m.endTalks()
		m.phase = Conflict
		after := m.multiple(f, cfg)
		if after < spoil-1e-12 {
			t.Errorf("%s: after the collapse its multiple drops from %.3f to %.3f", cfg.Name, spoil, after)
		}
		// Once the umbrella's escalation overtakes it, the carry is gone.
		m.intent = 2
		if x := m.multiple(f, cfg); x < after || f.carry != 0 {
			t.Errorf("%s: with intent 2 the multiple is %.3f (carry %.3f), want ≥ %.3f and no carry", cfg.Name, x, f.carry, after)
		}
	}
}
