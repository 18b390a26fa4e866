package main

import (
	"fmt"
	"strings"

	"checkgen/generator/plan"
)

// help handles "checkgen help X": a topic of the content reference prints
// it (after the command's usage when X is also a command, as "report"
// is); an unknown X is a usage error with the nearest name. done is false
// when X is a command only, whose usage the caller prints.
func help(e *env, x string) (code int, done bool) {
	text, isTopic := plan.ReferenceText(x)
	cmd := findCommand(x)
	switch {
	case isTopic:
		if cmd != nil {
			if code := run([]string{x, "-h"}, e); code != exitOK {
				return code, true
			}
			fmt.Fprintf(e.stdout, "\n")
		}
		fmt.Fprint(e.stdout, text)
		return exitOK, true
	case cmd != nil:
		return exitOK, false
	}
	msg := fmt.Sprintf("checkgen help: unknown command or topic %q", x)
	if s := suggest(x, append(commandNames(), topicNames()...)); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	fmt.Fprintf(e.stderr, "%s\nRun 'checkgen help' for the commands and topics.\n", msg)
	return exitUsage, true
}

// topicNames are the topics of `checkgen help TOPIC`: "content" (the whole
// reference) and its sections.
func topicNames() []string {
	names := []string{"content"}
	for _, t := range plan.Topics() {
		names = append(names, t.Name)
	}
	return names
}

// helpTopicsLine is the line of the usage that names the topics.
func helpTopicsLine() string {
	return "Run 'checkgen help content' for the content format, or 'checkgen help TOPIC' for one part: " +
		strings.Join(topicNames()[1:], ", ") + "."
}
