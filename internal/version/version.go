// Package version reports which build of parley is running, for the
// manifests every command writes.
package version

import "runtime/debug"

// String returns the module version of the running binary ("devel" when
// built from a work tree), with the VCS revision when known.
func String() string {
	v := "devel"
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}
