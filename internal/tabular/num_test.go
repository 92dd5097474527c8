package tabular

import "testing"

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{3: "3", 0: "0", 2.5: "2.5", 1.0 / 3: "0.333333", 12345.678: "12345.7", -4: "-4",
		-8.61666e-05: "-0.0000861666", 1.5e-7: "0.00000015", 0.000123456789: "0.000123457", 9.999996e-5: "0.0001", 1e-12: "1e-12", 123456789.5: "123457000"} {
		if got := Num(in); got != want {
			t.Errorf("Num(%v) = %q, want %q", in, got, want)
		}
	}
}
