package scenario

import (
	"strconv"
	"strings"
)

// entry is one key (or array-of-tables header) found in a TOML source, with
// its line. Path elements of array-of-tables carry the element's ordinal in
// this file as "#k".
type entry struct {
	path   []string
	line   int
	header bool // an [[array]] header
}

// scanLines finds the line of every key and [[array]] header in a TOML
// source. It understands tables, arrays of tables, dotted and quoted keys,
// comments and multi-line strings and arrays well enough to locate keys; it
// never needs to parse values (the decoder does that).
func scanLines(src string) []entry {
	var out []entry
	var table []string
	ordinal := map[string]int{} // array path → elements seen
	lines := strings.Split(src, "\n")
	depth := 0    // open [ or { of a multi-line value
	inMulti := "" // open """ or ''' delimiter
	for i, raw := range lines {
		line := raw
		if inMulti != "" {
			if strings.Count(line, inMulti)%2 == 1 {
				inMulti = ""
			}
			continue
		}
		if depth > 0 {
			depth += bracketBalance(line)
			continue
		}
		s := strings.TrimSpace(stripComment(line))
		if s == "" {
			continue
		}
		switch {
		case strings.HasPrefix(s, "[["):
			name := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "[["), "]]"))
			p := splitKey(name)
			key := strings.Join(p, ".")
			ordinal[key]++
			table = append(append([]string(nil), p...), "#"+strconv.Itoa(ordinal[key]-1))
			out = append(out, entry{path: table, line: i + 1, header: true})
		case strings.HasPrefix(s, "["):
			name := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
			table = withOrdinals(splitKey(name), ordinal)
			out = append(out, entry{path: table, line: i + 1})
		default:
			eq := indexOutsideQuotes(s, '=')
			if eq < 0 {
				continue
			}
			k := splitKey(strings.TrimSpace(s[:eq]))
			out = append(out, entry{path: append(append([]string(nil), table...), k...), line: i + 1})
			val := strings.TrimSpace(s[eq+1:])
			for _, q := range []string{`"""`, `'''`} {
				if strings.HasPrefix(val, q) && strings.Count(val, q) == 1 {
					inMulti = q
				}
			}
			if inMulti == "" {
				depth = bracketBalance(val)
			}
		}
	}
	return out
}

// withOrdinals adds the current element ordinal after any prefix that is an
// array of tables, so [insurgent.factions.x] inside an element resolves.
func withOrdinals(p []string, ordinal map[string]int) []string {
	var out []string
	for i := range p {
		out = append(out, p[i])
		if n, ok := ordinal[strings.Join(p[:i+1], ".")]; ok && n > 0 {
			out = append(out, "#"+strconv.Itoa(n-1))
		}
	}
	return out
}

func stripComment(s string) string {
	if i := indexOutsideQuotes(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

// indexOutsideQuotes finds c outside quoted strings.
func indexOutsideQuotes(s string, c byte) int {
	var q byte
	for i := 0; i < len(s); i++ {
		switch {
		case q != 0:
			if s[i] == '\\' && q == '"' {
				i++
			} else if s[i] == q {
				q = 0
			}
		case s[i] == '"' || s[i] == '\'':
			q = s[i]
		case s[i] == c:
			return i
		}
	}
	return -1
}

// bracketBalance counts [ and { minus ] and } outside strings and comments.
func bracketBalance(s string) int {
	s = stripComment(s)
	n := 0
	var q byte
	for i := 0; i < len(s); i++ {
		switch {
		case q != 0:
			if s[i] == '\\' && q == '"' {
				i++
			} else if s[i] == q {
				q = 0
			}
		case s[i] == '"' || s[i] == '\'':
			q = s[i]
		case s[i] == '[' || s[i] == '{':
			n++
		case s[i] == ']' || s[i] == '}':
			n--
		}
	}
	return n
}

// splitKey splits a dotted key, removing quotes and spaces.
func splitKey(k string) []string {
	var out []string
	var cur strings.Builder
	var q byte
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			q = c
		case c == '.':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}
