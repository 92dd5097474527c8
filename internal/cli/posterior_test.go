package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunDrawsFromAPosterior: --posterior gives each run a parameter vector
// of the posterior; the output is the same whatever the workers, differs
// from the run without it (the bands include parameter uncertainty), the
// manifest names the file, and a posterior outside the schema is refused
// naming the file and the vector.
func TestRunDrawsFromAPosterior(t *testing.T) {
	dir := t.TempDir()
	post := filepath.Join(dir, "posterior.csv")
	if err := os.WriteFile(post, []byte("weight,loss,attacks.background\n0.5,1,0.05\n0.5,1,2.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := func(name string, extra ...string) map[string][]byte {
		o := filepath.Join(dir, name)
		if code, _, e := parley(t, small(o, append(extra, "--format", "")...)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, e)
		}
		return readDir(t, o)
	}
	a := out("a", "--posterior", post, "--workers", "1")
	b := out("b", "--posterior", post, "--workers", "3")
	plain := out("plain")
	for _, f := range []string{"series.csv", "runs.csv", "summary.txt"} {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s differs with 1 and 3 workers", f)
		}
		if bytes.Equal(a[f], plain[f]) {
			t.Errorf("%s is the same with and without the posterior", f)
		}
	}
	if !strings.Contains(string(a["manifest.json"]), `"posterior"`) {
		t.Error("the manifest does not record the posterior")
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("weight,loss,state.capacity\n1,1,0.5\n1,1,7\n"), 0o644)
	code, _, e := parley(t, small(filepath.Join(dir, "c"), "--posterior", bad)...)
	if code != 1 || !strings.Contains(e, "bad.csv") || !strings.Contains(e, "vector 2") {
		t.Errorf("bad posterior: exit %d, %q; want 1 naming the file and vector 2", code, e)
	}
}
