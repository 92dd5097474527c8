package tabular

import (
	"math"
	"strconv"
)

// Num formats a number for CSV: at most 6 significant digits, no exponent
// for ordinary magnitudes, "" for NaN. Every CSV writer uses it, so equal
// numbers are equal bytes.
func Num(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}
