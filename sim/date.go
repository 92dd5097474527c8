package sim

import (
	"fmt"
	"time"
)

// Date is a calendar date, counted in days since 1970-01-01. It carries no
// time of day and no time zone, so results never depend on the machine's TZ.
type Date int32

// DateOf returns the Date of a calendar day.
func DateOf(year int, month time.Month, day int) Date {
	return Date(time.Date(year, month, day, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDate parses a date written as YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("sim: %q is not a date (want YYYY-MM-DD)", s)
	}
	return Date(t.Unix() / 86400), nil
}

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// AddDays returns the date n days later.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// MonthStart returns the first day of the date's month.
func (d Date) MonthStart() Date {
	t := d.Time()
	return DateOf(t.Year(), t.Month(), 1)
}

// MonthEnd returns the last day of the date's month.
func (d Date) MonthEnd() Date {
	t := d.Time()
	return DateOf(t.Year(), t.Month()+1, 1) - 1
}

// MarshalText writes the date as YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a YYYY-MM-DD date.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalTOML accepts a TOML local date (2021-11-09) or a string
// ("2021-11-09"). A date-time is rejected: scenarios work in whole days.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		if x.Hour() != 0 || x.Minute() != 0 || x.Second() != 0 || x.Nanosecond() != 0 {
			return fmt.Errorf("want a date like 2021-11-09, got a date-time %s", x.Format(time.RFC3339))
		}
		// The decoder puts local dates in the machine's zone: read the
		// calendar fields, never the instant.
		*d = DateOf(x.Year(), x.Month(), x.Day())
		return nil
	case string:
		return d.UnmarshalText([]byte(x))
	default:
		return fmt.Errorf("want a date like 2021-11-09, got %T", v)
	}
}
