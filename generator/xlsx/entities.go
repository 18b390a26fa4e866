package xlsx

import (
	"archive/zip"
	"bufio"
	"fmt"
	"path"
	"strconv"
	"strings"
)

// checkMarkup looks at the markup of a workbook's XML parts before
// excelize reads them, for what Excel never writes and excelize cannot
// read: a DOCTYPE (which may declare entities: billion laughs, or an
// external entity reading a local file), and entity references other than
// the five XML defines and character references. excelize would read such
// a part as empty and the workbook would look like something else; here
// the file is refused saying which part, where and why. The five standard
// entities (&amp; &lt; &gt; &quot; &apos;) and character references
// (&#233; &#xE9;) are plain XML and read as usual.
//
// It streams each part, so it costs no memory, and reads no more than the
// part's declared size (archive/zip stops there). A part that cannot be
// unpacked is left for excelize to report.
func checkMarkup(zr *zip.Reader) (part string, line, col int, msg string) {
	for _, f := range zr.File {
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".xml", ".rels", ".vml":
		default:
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		line, col, msg := scanMarkup(bufio.NewReader(rc))
		rc.Close()
		if msg != "" {
			return f.Name, line, col, msg
		}
	}
	return "", 0, 0, ""
}

// scanMarkup reads XML markup and returns the place and a description of
// the first DOCTYPE or other declaration, or of the first entity
// reference XML does not define. Comments, CDATA sections and processing
// instructions are skipped.
func scanMarkup(r *bufio.Reader) (line, col int, msg string) {
	line, col = 1, 0
	read := func() (byte, bool) {
		c, err := r.ReadByte()
		if err != nil {
			return 0, false
		}
		if c == '\n' {
			line, col = line+1, 0
		} else {
			col++
		}
		return c, true
	}
	// skipTo reads up to and including end.
	skipTo := func(end string) bool {
		matched := 0
		for matched < len(end) {
			c, ok := read()
			if !ok {
				return false
			}
			switch {
			case c == end[matched]:
				matched++
			case c == end[0]:
				matched = 1
			default:
				matched = 0
			}
		}
		return true
	}
	for {
		c, ok := read()
		if !ok {
			return 0, 0, ""
		}
		switch c {
		case '<':
			l, k := line, col
			next, err := r.Peek(1)
			if err != nil {
				return 0, 0, ""
			}
			switch next[0] {
			case '?':
				if !skipTo("?>") {
					return 0, 0, ""
				}
			case '!':
				head, _ := r.Peek(8)
				switch {
				case strings.HasPrefix(string(head), "!--"):
					if !skipTo("-->") {
						return 0, 0, ""
					}
				case strings.HasPrefix(string(head), "![CDATA["):
					if !skipTo("]]>") {
						return 0, 0, ""
					}
				default:
					word := strings.TrimLeft(string(head), "!")
					if i := strings.IndexAny(word, " \t\r\n[>"); i >= 0 {
						word = word[:i]
					}
					return l, k, fmt.Sprintf("has a <!%s declaration, which Excel never writes and checkgen refuses: entities declared there can expand without bound or read other files", word)
				}
			}
		case '&':
			l, k := line, col
			var ref []byte
			for len(ref) <= 12 {
				c, ok := read()
				if !ok || c == ';' {
					break
				}
				ref = append(ref, c)
			}
			if m := badReference(string(ref)); m != "" {
				return l, k, m
			}
		}
	}
}

// badReference says what is wrong with the entity reference &ref; ("" if
// nothing is).
func badReference(ref string) string {
	switch ref {
	case "amp", "lt", "gt", "quot", "apos":
		return ""
	}
	const known = "XML defines only &amp; &lt; &gt; &quot; &apos; and character references such as &#233;"
	if n, ok := strings.CutPrefix(ref, "#"); ok {
		base := 10
		if h, ok := strings.CutPrefix(n, "x"); ok {
			n, base = h, 16
		}
		v, err := strconv.ParseUint(n, base, 32)
		if err == nil && xmlChar(rune(v)) {
			return ""
		}
		return fmt.Sprintf("character reference &%s; is not a character XML allows", ref)
	}
	if ref == "" || len(ref) > 12 || strings.ContainsAny(ref, " \t\r\n<&\"'") {
		return "a & that starts no entity reference (in XML a & is written &amp;)"
	}
	return fmt.Sprintf("unknown entity &%s;: %s", ref, known)
}

// xmlChar reports whether r is a character XML 1.0 allows.
func xmlChar(r rune) bool {
	return r == 0x9 || r == 0xA || r == 0xD || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}
