// Package version reports which build of parley is running, for the
// manifests every command writes and for `parley version`.
package version

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Info is what a binary knows about its own build.
type Info struct {
	Module    string // the main module's version, e.g. "v0.4.0" or a pseudo-version; "devel" when unknown
	Revision  string // the VCS commit the binary was built from; "" when not stamped
	Time      string // the commit's time (RFC 3339); "" when not stamped
	Modified  bool   // the work tree had uncommitted changes
	GoVersion string // the Go toolchain that built it, e.g. "go1.26.8"
}

// FromBuildInfo reads Info from build information (as returned by
// debug.ReadBuildInfo); bi may be nil.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	in := Info{Module: "devel", GoVersion: runtime.Version()}
	if bi == nil {
		return in
	}
	if bi.GoVersion != "" {
		in.GoVersion = bi.GoVersion
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		in.Module = v
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// Current is the Info of the running binary.
func Current() Info {
	bi, _ := debug.ReadBuildInfo()
	return FromBuildInfo(bi)
}

// String is the short form manifests record: the module version, with the
// first 12 digits of the commit when known ("devel+0123456789ab").
func (in Info) String() string {
	v := in.Module
	if len(in.Revision) >= 12 {
		v += "+" + in.Revision[:12]
	}
	return v
}

// Long is the line `parley version` prints: the module version, the
// commit (and whether the work tree was modified, and the commit's time),
// and the Go toolchain. A build without VCS information says so and how to
// get it.
func (in Info) Long() string {
	var parts []string
	if in.Revision != "" {
		c := "commit " + in.Revision
		if in.Modified {
			c += " with uncommitted changes"
		}
		if in.Time != "" {
			c += " of " + in.Time
		}
		parts = append(parts, c)
	} else {
		parts = append(parts, "commit unknown: built outside a git clone or with -buildvcs=false")
	}
	parts = append(parts, fmt.Sprintf("%s %s/%s", in.GoVersion, runtime.GOOS, runtime.GOARCH))
	return in.Module + " (" + strings.Join(parts, "; ") + ")"
}

// String returns the short version of the running binary (Info.String).
func String() string { return Current().String() }
