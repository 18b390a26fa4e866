//go:build !unix

package generator

// syncDisks does nothing where there is no sync(2).
func syncDisks() {}
