package sim

import "testing"

func TestMonthEnd(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2022-01-15", "2022-01-31"}, {"2022-02-01", "2022-02-28"}, {"2024-02-10", "2024-02-29"}, {"2022-12-31", "2022-12-31"},
	} {
		d, _ := ParseDate(c.in)
		if got := d.MonthEnd().String(); got != c.want {
			t.Errorf("%s.MonthEnd() = %s, want %s", c.in, got, c.want)
		}
	}
}
