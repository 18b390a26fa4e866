//go:build !linux

package output

import "errors"

// exchange is not available here: Commit moves files the portable way.
func exchange(a, b string) error { return errors.ErrUnsupported }
