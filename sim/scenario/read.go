package scenario

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode/utf8"
)

// Size caps of the files a scenario reads from disk. A scenario, a file it
// extends and a targets file may be at most MaxFileSize bytes; an
// observation CSV (a name ending in .csv) at most MaxCSVSize. They are far
// above any real scenario (the largest built-in is ~12 KB) and keep a
// mistaken or hostile file (a huge log, /dev/zero) from growing memory.
const (
	MaxFileSize = 1 << 20  // 1 MiB
	MaxCSVSize  = 16 << 20 // 16 MiB
)

// maxSize is the cap of the file name.
func maxSize(name string) int64 {
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return MaxCSVSize
	}
	return MaxFileSize
}

// readFile reads a scenario, targets or observation file from disk, safely:
// only a regular file (after following symlinks), at most max bytes. It
// opens the file non-blocking and checks its type before reading, so a FIFO,
// a device such as /dev/zero, a socket or a folder is refused at once
// instead of hanging or growing memory; a symlink loop is named as one. The
// read goes through an io.LimitReader, so a file that grows while it is read
// cannot exceed the cap either. Errors name the file.
func readFile(name string, max int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		if errors.Is(err, syscall.ELOOP) {
			return nil, fmt.Errorf("%s: too many levels of symbolic links (a symlink loop?): %w", name, syscall.ELOOP)
		}
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if m := fi.Mode(); !m.IsRegular() {
		return nil, fmt.Errorf("%s is a %s, not a regular file: %w", name, kindOf(m), errNotRegular)
	}
	if fi.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, over the cap of %s (see README, Reproducibility and safety): %w", name, fi.Size(), human(max), errTooLarge)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s grew past the cap of %s while being read: %w", name, human(max), errTooLarge)
	}
	return b, nil
}

var (
	errNotRegular = errors.New("not a regular file")
	errTooLarge   = errors.New("file too large")
)

// kindOf names a non-regular file type for messages.
func kindOf(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "folder"
	case m&os.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&os.ModeCharDevice != 0:
		return "character device"
	case m&os.ModeDevice != 0:
		return "device"
	case m&os.ModeSocket != 0:
		return "socket"
	}
	return "special file (" + m.Type().String() + ")"
}

func human(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// checkUTF8 returns a located problem for the first invalid UTF-8 byte in
// data (a TOML file must be UTF-8), or nil. It names the line and column,
// and no key: the byte may be anywhere, e.g. in a comment.
func checkUTF8(name string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	line, col := 1, 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return &Error{Problems: []Problem{{File: name, Line: line,
				Msg: fmt.Sprintf("invalid UTF-8 byte 0x%02x at column %d (save the file as UTF-8)", data[i], col)}}}
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		i += size
	}
	return nil
}
