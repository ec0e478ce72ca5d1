package sqltables

// GlobExpr is exported for the tests.
var GlobExpr = globExpr
