package tabular

import "testing"

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{3: "3", 0: "0", 2.5: "2.5", 1.0 / 3: "0.333333", 12345.678: "12345.7", -4: "-4"} {
		if got := Num(in); got != want {
			t.Errorf("Num(%v) = %q, want %q", in, got, want)
		}
	}
}
