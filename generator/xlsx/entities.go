package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// unpack reads every part of a workbook's zip into memory, by the name
// excelize gives it, and looks at the markup of its XML parts for what
// Excel never writes and excelize cannot read: a DOCTYPE (which may
// declare entities: billion laughs, or an external entity reading a local
// file), and entity references other than the five XML defines and
// character references. excelize would read such a part as empty and the
// workbook would look like something else; here the file is refused
// saying which part, where and why. The five standard entities (&amp;
// &lt; &gt; &quot; &apos;) and character references (&#233; &#xE9;) are
// plain XML and read as usual.
//
// archive/zip reads no more than a part's declared size, and sniff has
// held their sum to MaxUnpacked. A part that cannot be unpacked is left
// for excelize to report: whole is then false (as it is when two entries
// have the same name), and the lean reader is not used.
func unpack(zr *zip.Reader) (parts map[string][]byte, whole bool, part string, line, col int, msg string) {
	parts, whole = make(map[string][]byte, len(zr.File)), true
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			whole = false
			continue
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			whole = false
		}
		switch strings.ToLower(path.Ext(f.Name)) {
		case ".xml", ".rels", ".vml":
			if line, col, msg := scanMarkup(data); msg != "" {
				return nil, false, f.Name, line, col, msg
			}
		}
		name := leanPartName(f.Name)
		if _, dup := parts[name]; dup {
			whole = false
		}
		parts[name] = data
	}
	return parts, whole, "", 0, 0, ""
}

// scanMarkup reads XML markup and returns the place and a description of
// the first DOCTYPE or other declaration, or of the first entity
// reference XML does not define. Comments, CDATA sections and processing
// instructions are skipped. The column counts bytes.
func scanMarkup(data []byte) (line, col int, msg string) {
	i, n := 0, len(data)
	place := func(at int) (int, int) {
		before := data[:at]
		return bytes.Count(before, []byte("\n")) + 1, at - bytes.LastIndexByte(before, '\n')
	}
	// skipTo reads up to and including end.
	skipTo := func(end string) bool {
		matched := 0
		for matched < len(end) {
			if i >= n {
				return false
			}
			c := data[i]
			i++
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
		j := bytes.IndexAny(data[i:], "<&")
		if j < 0 {
			return 0, 0, ""
		}
		at := i + j
		i = at + 1
		switch data[at] {
		case '<':
			if i >= n {
				return 0, 0, ""
			}
			switch data[i] {
			case '?':
				if !skipTo("?>") {
					return 0, 0, ""
				}
			case '!':
				head := string(data[i:min(i+8, n)])
				switch {
				case strings.HasPrefix(head, "!--"):
					if !skipTo("-->") {
						return 0, 0, ""
					}
				case strings.HasPrefix(head, "![CDATA["):
					if !skipTo("]]>") {
						return 0, 0, ""
					}
				default:
					word := strings.TrimLeft(head, "!")
					if k := strings.IndexAny(word, " \t\r\n[>"); k >= 0 {
						word = word[:k]
					}
					l, c := place(at)
					return l, c, fmt.Sprintf("has a <!%s declaration, which Excel never writes and checkgen refuses: entities declared there can expand without bound or read other files", word)
				}
			}
		case '&':
			var ref []byte
			for len(ref) <= 12 && i < n {
				c := data[i]
				i++
				if c == ';' {
					break
				}
				ref = append(ref, c)
			}
			if m := badReference(string(ref)); m != "" {
				l, c := place(at)
				return l, c, m
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
