package scalar

// This file implements the regressions and statistics of a series that
// yield several columns: series_stats, series_fit_line, series_fit_2lines
// (and its _dynamic form) and series_fit_poly. Each returns a property bag
// keyed by its outputs' names; extend and project spread it into columns.
// x runs 1, 2, … over the series; variances divide by n-1, as Kusto's
// documented outputs do.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(arrFn(types.Dynamic, seriesStatsTuple), "series_stats")
	def(arrFn(types.Dynamic, seriesFitLine), "series_fit_line")
	def(arrFn(types.Dynamic, seriesFit2Lines), "series_fit_2lines", "series_fit_2lines_dynamic")
	def(arrFn(types.Dynamic, seriesFitPoly), "series_fit_poly")
}

// seriesStatsTuple is series_stats: the statistics of the finite
// elements when ignore_nonfinite is true; otherwise null statistics for a
// series with a null, NaN or infinite element.
func seriesStatsTuple(a []any, v []value.Value) value.Value {
	ignore := len(v) > 1 && toBoolValue(v[1]).B
	if !ignore {
		for _, f := range floats(a) {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				b := value.NewBag(7)
				for _, k := range []string{"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"} {
					b.Set(k, nil)
				}
				return value.OfDynamic(b)
			}
		}
	}
	return seriesStats(a, v)
}

// lineFit is a least-squares line over points (x[i], y[i]).
type lineFit struct {
	slope, icpt, rsquare, variance, rvariance, sse, sst float64
}

// fitLine fits y = slope*x + icpt, skipping non-finite y.
func fitLine(x, y []float64) lineFit {
	var n, sx, sy float64
	for i := range y {
		if finite(y[i]) {
			n, sx, sy = n+1, sx+x[i], sy+y[i]
		}
	}
	var f lineFit
	if n == 0 {
		return lineFit{slope: math.NaN(), icpt: math.NaN(), rsquare: math.NaN(), variance: math.NaN(), rvariance: math.NaN()}
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i := range y {
		if finite(y[i]) {
			sxy += (x[i] - mx) * (y[i] - my)
			sxx += (x[i] - mx) * (x[i] - mx)
		}
	}
	if sxx != 0 {
		f.slope = sxy / sxx
	}
	f.icpt = my - f.slope*mx
	for i := range y {
		if finite(y[i]) {
			r := y[i] - (f.icpt + f.slope*x[i])
			f.sse += r * r
			f.sst += (y[i] - my) * (y[i] - my)
		}
	}
	f.rsquare = 1 - f.sse/f.sst
	if f.sst == 0 {
		f.rsquare = 1
	}
	f.variance, f.rvariance = f.sst/(n-1), f.sse/(n-1)
	if n < 2 {
		f.variance, f.rvariance = 0, 0
	}
	return f
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// xs returns from+1, …, from+n.
func xs(from, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(from + i + 1)
	}
	return x
}

// seriesFitLine is series_fit_line (and series_fit_line_dynamic).
func seriesFitLine(a []any, _ []value.Value) value.Value {
	y := floats(a)
	x := xs(0, len(y))
	f := fitLine(x, y)
	fit := make([]any, len(y))
	for i := range y {
		fit[i] = f.icpt + f.slope*x[i]
	}
	b := value.NewBag(6)
	b.Set("rsquare", f.rsquare)
	b.Set("slope", f.slope)
	b.Set("variance", f.variance)
	b.Set("rvariance", f.rvariance)
	b.Set("interception", f.icpt)
	b.Set("line_fit", fit)
	return value.OfDynamic(b)
}

// seriesFit2Lines tries every split of the series into a left and a right
// part of at least two points, fits a line to each and keeps the split
// with the best total r-square; split_idx is the right part's first index.
func seriesFit2Lines(a []any, _ []value.Value) value.Value {
	y := floats(a)
	n := len(y)
	x := xs(0, n)
	all := fitLine(x, y)
	best, bestK := math.Inf(-1), -1
	var left, right lineFit
	for k := 2; k+2 <= n; k++ {
		l, r := fitLine(x[:k], y[:k]), fitLine(x[k:], y[k:])
		rsq := 1 - (l.sse+r.sse)/all.sst
		if rsq > best {
			best, bestK, left, right = rsq, k, l, r
		}
	}
	b := value.NewBag(15)
	if bestK < 0 {
		for _, k := range []string{"rsquare", "split_idx", "variance", "rvariance", "line_fit",
			"right_rsquare", "right_slope", "right_interception", "right_variance", "right_rvariance",
			"left_rsquare", "left_slope", "left_interception", "left_variance", "left_rvariance"} {
			b.Set(k, nil)
		}
		return value.OfDynamic(b)
	}
	fit := make([]any, n)
	for i := range y {
		f := left
		if i >= bestK {
			f = right
		}
		fit[i] = f.icpt + f.slope*x[i]
	}
	b.Set("rsquare", best)
	b.Set("split_idx", int64(bestK))
	b.Set("variance", all.variance)
	b.Set("rvariance", (left.sse+right.sse)/float64(n-1))
	b.Set("line_fit", fit)
	for _, side := range []struct {
		name string
		f    lineFit
	}{{"right", right}, {"left", left}} {
		b.Set(side.name+"_rsquare", side.f.rsquare)
		b.Set(side.name+"_slope", side.f.slope)
		b.Set(side.name+"_interception", side.f.icpt)
		b.Set(side.name+"_variance", side.f.variance)
		b.Set(side.name+"_rvariance", side.f.rvariance)
	}
	return value.OfDynamic(b)
}

// seriesFitPoly is series_fit_poly(y[, x][, degree]): a least-squares
// polynomial (degree 1 by default, at most 6); coefficients run from the
// highest power down. Without x, x is 1, 2, ….
func seriesFitPoly(a []any, v []value.Value) value.Value {
	y := floats(a)
	x := xs(0, len(y))
	if len(v) > 1 {
		if xa, ok := v[1].D.([]any); ok && v[1].Type == types.Dynamic && len(xa) == len(y) {
			x = floats(xa)
		}
	}
	deg := int64(1)
	if len(v) > 2 {
		if d, ok := argInt(v[2]); ok {
			deg = d
		}
	}
	if deg < 1 || deg > 6 {
		return value.Null(types.Dynamic)
	}
	coef := polyFit(x, y, int(deg))
	b := value.NewBag(5)
	fit := make([]any, len(y))
	var sse, sst, my, n float64
	for i := range y {
		if finite(y[i]) {
			my, n = my+y[i], n+1
		}
	}
	my /= n
	for i := range y {
		f := 0.0
		for _, c := range coef {
			f = f*x[i] + c
		}
		fit[i] = f
		if finite(y[i]) {
			sse += (y[i] - f) * (y[i] - f)
			sst += (y[i] - my) * (y[i] - my)
		}
	}
	cs := make([]any, len(coef))
	for i, c := range coef {
		cs[i] = c
	}
	b.Set("rsquare", 1-sse/sst)
	b.Set("coefficients", cs)
	b.Set("variance", sst/(n-1))
	b.Set("rvariance", sse/(n-1))
	b.Set("poly_fit", fit)
	return value.OfDynamic(b)
}

// polyFit solves the normal equations of a degree-deg polynomial fit and
// returns its coefficients from the highest power down.
func polyFit(x, y []float64, deg int) []float64 {
	m := deg + 1
	// a[r][c] = sum x^(r+c), rhs[r] = sum y*x^r
	a := make([][]float64, m)
	for r := range a {
		a[r] = make([]float64, m+1)
	}
	for i := range y {
		if !finite(y[i]) || !finite(x[i]) {
			continue
		}
		pw := make([]float64, 2*m)
		pw[0] = 1
		for k := 1; k < len(pw); k++ {
			pw[k] = pw[k-1] * x[i]
		}
		for r := 0; r < m; r++ {
			for c := 0; c < m; c++ {
				a[r][c] += pw[r+c]
			}
			a[r][m] += y[i] * pw[r]
		}
	}
	sol := gaussSolve(a)
	out := make([]float64, m)
	for k := range sol {
		out[m-1-k] = sol[k]
	}
	return out
}

// gaussSolve solves an augmented linear system by elimination with
// partial pivoting; a singular system yields NaNs.
func gaussSolve(a [][]float64) []float64 {
	m := len(a)
	for col := 0; col < m; col++ {
		p := col
		for r := col + 1; r < m; r++ {
			if math.Abs(a[r][col]) > math.Abs(a[p][col]) {
				p = r
			}
		}
		a[col], a[p] = a[p], a[col]
		for r := col + 1; r < m; r++ {
			f := a[r][col] / a[col][col]
			for c := col; c <= m; c++ {
				a[r][c] -= f * a[col][c]
			}
		}
	}
	sol := make([]float64, m)
	for r := m - 1; r >= 0; r-- {
		s := a[r][m]
		for c := r + 1; c < m; c++ {
			s -= a[r][c] * sol[c]
		}
		sol[r] = s / a[r][r]
	}
	return sol
}
