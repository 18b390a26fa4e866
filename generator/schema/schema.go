// Package schema makes the JSON Schemas (draft-07) of checkgen's content
// files from the content reference (plan.Reference): one per kind of file,
// site, bodies, units and plan, for editors that complete and check TOML
// against a schema named in a "#:schema" first line (Taplo, "Even Better
// TOML" for VS Code; Tombi). Every key has its type, pattern, allowed
// values and a description in English and Vietnamese; unknown keys are
// refused (additionalProperties false), as checkgen does.
//
// TOML has dates, JSON has not: editors validate a TOML date as the string
// it would print. A key that takes a date has "format": "date" (a local
// date, 2021-05-23); a local date-time has "format": "local-date-time" and
// its pattern. The schemas cannot tell a date from the same text in
// quotes, which checkgen refuses: `checkgen check` remains the final word.
package schema

import (
	"bytes"
	"encoding/json"

	"checkgen/generator/plan"
)

// Draft is the JSON Schema version of the schemas.
const Draft = "http://json-schema.org/draft-07/schema#"

// Patterns of TOML date values, as editors print them.
const (
	datePattern     = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	dateTimePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$`
)

// File is one schema.
type File struct {
	Kind string // "site", "bodies", "units", "plan"
	Name string // "site.schema.json"
	Data []byte // indented JSON, ending in a newline
}

// FileName is the name of the schema of a kind of content file.
func FileName(kind string) string { return kind + ".schema.json" }

// All returns the schema of every kind of content file, in the order of
// the reference. The bytes are the same for the same reference.
func All() []File {
	var out []File
	for _, f := range plan.Reference() {
		out = append(out, File{Kind: f.Kind, Name: FileName(f.Kind), Data: encode(Of(f))})
	}
	return out
}

// Of returns the schema of one kind of content file, as JSON values.
func Of(f *plan.File) map[string]any {
	s := table(f.Root)
	s["$schema"] = Draft
	s["title"] = "checkgen " + f.Title
	s["description"] = f.Doc + "\n\n" + f.DocVI + "\n\nRun `checkgen help content` for the full reference."
	return s
}

func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		panic(err) // maps of strings, bools, numbers and slices always encode
	}
	return buf.Bytes()
}

// table is the schema of a table: its keys, the required ones, no others.
func table(t *plan.Table) map[string]any {
	props := map[string]any{}
	var required []string
	for _, k := range t.Keys {
		props[k.Name] = key(k)
		if k.Required {
			required = append(required, k.Name)
		}
	}
	s := map[string]any{
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	if len(t.Init) > 0 {
		s["x-taplo"] = map[string]any{"initKeys": t.Init}
	}
	return s
}

// key is the schema of one key's value.
func key(k plan.Key) map[string]any {
	var s map[string]any
	switch k.Kind {
	case plan.KindString:
		s = str(k)
	case plan.KindStrings:
		s = map[string]any{"type": "array", "items": str(plan.Key{Pattern: k.Pattern})}
		if k.Required {
			s["minItems"] = 1
		}
	case plan.KindDate:
		s = date()
	case plan.KindDeadline:
		s = map[string]any{"anyOf": []any{
			map[string]any{"type": "string", "pattern": plan.RelativePattern},
			date(),
			map[string]any{"type": "string", "format": "local-date-time", "pattern": dateTimePattern},
		}}
	case plan.KindTable:
		s = table(k.Table)
	case plan.KindTables:
		s = map[string]any{"type": "array", "items": table(k.Table)}
		if k.Required {
			s["minItems"] = 1
		}
	case plan.KindSigners:
		entry := table(k.Table)
		entry["minProperties"] = 1
		s = map[string]any{"type": "array", "items": map[string]any{
			"anyOf": []any{map[string]any{"type": "string"}, entry},
		}}
	case plan.KindNames:
		s = map[string]any{
			"type":                 "object",
			"propertyNames":        map[string]any{"pattern": plan.IDPattern, "maxLength": plan.MaxIDLength},
			"additionalProperties": map[string]any{"type": "string", "minLength": 1},
		}
	case plan.KindLabels:
		s = table(k.Table)
	default:
		panic("schema: unknown kind " + string(k.Kind))
	}
	en, vi := k.Docs()
	s["description"] = en + "\n\n" + vi
	if k.Default != "" {
		var v any
		if err := json.Unmarshal([]byte(k.Default), &v); err == nil {
			s["default"] = v
		}
	}
	return s
}

// str is the schema of a string key: its pattern (ids and codes have at
// most plan.MaxIDLength characters), values and whether it may be empty.
func str(k plan.Key) map[string]any {
	s := map[string]any{"type": "string"}
	if k.Pattern != "" {
		s["pattern"] = k.Pattern
		if k.Pattern == plan.IDPattern || k.Pattern == plan.CodePattern {
			s["maxLength"] = plan.MaxIDLength
		}
	}
	if len(k.Enum) > 0 {
		s["enum"] = k.Enum
	}
	if k.Required {
		s["minLength"] = 1
	}
	return s
}

func date() map[string]any {
	return map[string]any{"type": "string", "format": "date", "pattern": datePattern}
}
