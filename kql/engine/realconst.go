package engine

import "math"

var (
	nanValue = math.NaN()
	posInf   = math.Inf(1)
	negInf   = math.Inf(-1)
)
