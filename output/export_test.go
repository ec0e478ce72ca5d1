package output

// Exported for the tests of package output_test.
var CheckDigests = checkDigests
var DirLocks = dirLocks
