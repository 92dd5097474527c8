package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/parley-sim/parley/sim"
)

// multi is a repeatable string flag (--set k=v --set k2=v2).
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// parse parses flags that may come before, between or after positional
// arguments (stdlib flag stops at the first positional one). -h prints the
// full usage (to the command's stderr) and returns flag.ErrHelp; a bad flag
// is a usage error saying what was wrong, with a did-you-mean for a
// mistyped flag name, and nothing else printed.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	usage := fs.Usage
	fs.Usage = func() {} // the flag package calls it on every error; only -h prints it
	defer func() { fs.Usage = usage }()
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, err
			}
			return nil, flagError(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// The messages of the flag package, rewritten by flagError.
var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reInvalid   = regexp.MustCompile(`(?s)^invalid value "(.*)" for flag -+([^:]+): (.*)$`)
	reBool      = regexp.MustCompile(`(?s)^invalid boolean value "(.*)" for -+([^:]+): (.*)$`)
	reNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
)

// flagError turns an error of the flag package into a usage error in the
// command's terms: "unknown flag --perod (did you mean --period?)",
// "--runs 0: must be at least 1 …".
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return &usageErr{unknownFlag(fs, m[1])}
	}
	if m := reInvalid.FindStringSubmatch(msg); m != nil {
		why := m[3]
		if why == "parse error" || why == "value out of range" {
			why = "want " + flagKind(fs.Lookup(m[2]))
		}
		return &usageErr{fmt.Sprintf("--%s %s: %s", m[2], quoteIfOdd(m[1]), why)}
	}
	if m := reBool.FindStringSubmatch(msg); m != nil {
		return &usageErr{fmt.Sprintf("--%s=%s: want true or false (or leave the value out: --%s)", m[2], quoteIfOdd(m[1]), m[2])}
	}
	if m := reNeedsArg.FindStringSubmatch(msg); m != nil {
		return &usageErr{fmt.Sprintf("--%s needs a value", m[1])}
	}
	return &usageErr{msg}
}

// unknownFlag says that --name is not a flag of fs, with the nearest flag
// when one is close.
func unknownFlag(fs *flag.FlagSet, name string) string {
	msg := "unknown flag --" + name
	if s := closestFlag(fs, name); s != "" {
		msg += " (did you mean --" + s + "?)"
	}
	return msg
}

// closestFlag returns the flag of fs nearest to name: the only flag it
// begins (--runs for --runs-per-point), else the nearest by edit distance
// (ignoring case); "" when none is near enough.
func closestFlag(fs *flag.FlagSet, name string) string {
	if name == "help" || name == "h" || name == "" {
		return ""
	}
	names := flagNames(fs)
	var prefixed []string
	for _, n := range names {
		if strings.HasPrefix(n, name) {
			prefixed = append(prefixed, n)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return sim.Closest(name, names)
}

// flagNames lists the flags of fs, sorted.
func flagNames(fs *flag.FlagSet) []string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	return names
}

// flagKind says what a flag of the standard kinds wants, for "parse error".
func flagKind(f *flag.Flag) string {
	if f == nil {
		return "a valid value"
	}
	switch fmt.Sprintf("%T", f.Value) {
	case "*flag.intValue", "*flag.int64Value":
		return "a whole number"
	case "*flag.uintValue", "*flag.uint64Value":
		return "a whole number, 0 or more"
	case "*flag.float64Value":
		return "a number, e.g. 0.5"
	case "*flag.durationValue":
		return "a duration, e.g. 90s, 5m or 1h30m"
	}
	return "a valid value"
}

// quoteIfOdd quotes a flag value that would read ambiguously unquoted
// (empty, or with spaces or quotes).
func quoteIfOdd(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"'") {
		return strconv.Quote(s)
	}
	return s
}

// flagOutput is the output of every flag set: what the flag package writes
// itself (its error message, and the usage on every error) is discarded —
// parse reports errors — while the command's stderr is kept for notices and
// -h (noticeOutput).
type flagOutput struct{ stderr io.Writer }

func (flagOutput) Write(p []byte) (int, error) { return len(p), nil }

// noticeOutput is where a flag's notice goes: the command's stderr.
func noticeOutput(fs *flag.FlagSet) io.Writer {
	if o, ok := fs.Output().(flagOutput); ok {
		return o.stderr
	}
	return fs.Output()
}

// newFlags makes a command's flag set. Its usage (printed by -h) is the
// usage line and every flag, on stderr. When stderr is a *flagCollector
// (shell completion), the flag set is handed to it.
func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagOutput{stderr})
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: %s\n", usage)
		if n := len(flagNames(fs)); n > 0 {
			fmt.Fprintf(stderr, "\nflags:\n")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
			fs.SetOutput(flagOutput{stderr})
		}
	}
	if c, ok := stderr.(*flagCollector); ok {
		c.fs = fs
	}
	return fs
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	if !ok {
		return false
	}
	fi, err := file.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// oneScenario returns the single scenario argument of a command ("" for
// the built-in default), or a usage error when more were given.
func oneScenario(pos []string) (string, error) {
	switch len(pos) {
	case 0:
		return "", nil
	case 1:
		return pos[0], nil
	}
	return "", fmt.Errorf("%w: one scenario at a time (got %d: %s)", errUsage, len(pos), strings.Join(pos, ", "))
}
