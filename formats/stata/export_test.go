package stata

import "os"

// WriteBenchFile writes the benchmark's file of rows observations (see
// benchColumns) to path, for the load benchmark of the external test
// package.
func WriteBenchFile(path string, rows int) error {
	return os.WriteFile(path, benchFile(rows).bytes(), 0o644)
}
