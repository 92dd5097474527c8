package tabular

import (
	"math"
	"strconv"
	"strings"
)

// Num formats a number for CSV: at most 6 significant digits, no exponent
// from 1e-9 to 1e15 (-8.61666e-05 is written -0.0000861666), "" for NaN.
// Every CSV writer uses it, so equal numbers are equal bytes.
func Num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	a := math.Abs(v)
	if v == math.Trunc(v) && a < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'g', 6, 64)
	if strings.ContainsRune(s, 'e') && a >= 1e-9 && a < 1e15 {
		// Round to 6 significant digits first, then write them out.
		r, _ := strconv.ParseFloat(s, 64)
		dec := 5 - int(math.Floor(math.Log10(math.Abs(r))))
		s = strconv.FormatFloat(r, 'f', max(dec, 0), 64)
		if strings.ContainsRune(s, '.') {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
	}
	return s
}
