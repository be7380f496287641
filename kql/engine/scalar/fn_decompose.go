package scalar

// This file implements the time-series analysis functions: series_outliers
// (Tukey fences), series_periods_detect and series_periods_validate
// (autocorrelation), series_seasonal, series_decompose,
// series_decompose_anomalies and series_decompose_forecast, and
// series_fft/series_ifft.
//
// Following the documentation: a period's score is the series'
// autocorrelation at that lag (periods of 4 points up to half the series);
// the seasonal component is the median of the points of each phase; the
// trend is the average ("avg"), a regression line ("linefit") or nothing
// ("none") of the deseasonalized series; baseline = seasonal + trend and
// residual = x - baseline. The last test_points are left out of learning
// and forecast. Anomaly scores are series_outliers of the residuals.

import (
	"math"
	"math/cmplx"
	"sort"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(arrFn(types.Dynamic, seriesOutliers), "series_outliers")
	def(arrFn(types.Dynamic, seriesPeriodsDetect), "series_periods_detect")
	def(arrFn(types.Dynamic, seriesPeriodsValidate), "series_periods_validate")
	def(arrFn(types.Dynamic, seriesSeasonal), "series_seasonal")
	def(arrFn(types.Dynamic, seriesDecompose), "series_decompose")
	def(arrFn(types.Dynamic, seriesDecomposeAnomalies), "series_decompose_anomalies")
	def(arrFn(types.Dynamic, seriesDecomposeForecast), "series_decompose_forecast")
	def(arrFn(types.Dynamic, seriesFFT(false)), "series_fft")
	def(arrFn(types.Dynamic, seriesFFT(true)), "series_ifft")
}

// optArg returns argument i when present and not null.
func optArg(v []value.Value, i int) (value.Value, bool) {
	if i < len(v) && !v[i].IsNull() {
		return v[i], true
	}
	return value.Value{}, false
}

func optInt(v []value.Value, i int, def int64) int64 {
	if x, ok := optArg(v, i); ok {
		if n, ok := argInt(x); ok {
			return n
		}
	}
	return def
}

func optReal(v []value.Value, i int, def float64) float64 {
	if x, ok := optArg(v, i); ok {
		if f, ok := argReal(x); ok {
			return f
		}
	}
	return def
}

func optStr(v []value.Value, i int, def string) string {
	if x, ok := optArg(v, i); ok {
		return strings.ToLower(toStr(x))
	}
	return def
}

// reals makes a dynamic array of float64s (NaN as null).
func reals(x []float64) []any {
	out := make([]any, len(x))
	for i, f := range x {
		if !math.IsNaN(f) {
			out[i] = f
		}
	}
	return out
}

// percentileOf is the p-th percentile (0-100) of the finite values, by
// linear interpolation between closest ranks.
func percentileOf(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	r := p / 100 * float64(len(sorted)-1)
	lo := int(math.Floor(r))
	hi := min(lo+1, len(sorted)-1)
	return sorted[lo] + (sorted[hi]-sorted[lo])*(r-float64(lo))
}

// outlierScores scores each point of x against the fences of the
// percentiles pLow and pHigh of the points of learn: 0 inside, else the
// distance beyond the fence in units of the inter-percentile range.
// Missing points (NaN, or ignore) score 0.
func outlierScores(x []float64, learn int, pLow, pHigh float64, ignore func(float64) bool) []float64 {
	var vals []float64
	for _, f := range x[:learn] {
		if finite(f) && !ignore(f) {
			vals = append(vals, f)
		}
	}
	sort.Float64s(vals)
	lo, hi := percentileOf(vals, pLow), percentileOf(vals, pHigh)
	iqr := hi - lo
	out := make([]float64, len(x))
	for i, f := range x {
		switch {
		case !finite(f) || ignore(f) || math.IsNaN(lo):
		case f > hi && iqr > 0:
			out[i] = (f - hi) / iqr
		case f < lo && iqr > 0:
			out[i] = (f - lo) / iqr
		case f != hi && f != lo && iqr == 0 && f > hi:
			out[i] = math.Inf(1)
		case f != hi && f != lo && iqr == 0 && f < lo:
			out[i] = math.Inf(-1)
		}
	}
	return out
}

// seriesOutliers is series_outliers(x[, kind][, ignore_val][, min_pct][, max_pct]).
func seriesOutliers(a []any, v []value.Value) value.Value {
	x := floats(a)
	pLow, pHigh := 10.0, 90.0
	if optStr(v, 1, "ctukey") == "tukey" {
		pLow, pHigh = 25, 75
	} else {
		pLow, pHigh = optReal(v, 3, pLow), optReal(v, 4, pHigh)
	}
	ignore := func(float64) bool { return false }
	if iv, ok := optArg(v, 2); ok {
		if f, ok := argReal(iv); ok {
			ignore = func(x float64) bool { return x == f }
		}
	}
	return value.OfDynamic(reals(outlierScores(x, len(x), pLow, pHigh, ignore)))
}

// autocorr is the autocorrelation of x at lag p (0 when undefined).
func autocorr(x []float64, p int) float64 {
	n := len(x)
	if p <= 0 || p >= n {
		return 0
	}
	var mean, cnt float64
	for _, f := range x {
		if finite(f) {
			mean, cnt = mean+f, cnt+1
		}
	}
	mean /= cnt
	var num, den float64
	for i, f := range x {
		if !finite(f) {
			continue
		}
		den += (f - mean) * (f - mean)
		if i+p < n && finite(x[i+p]) {
			num += (f - mean) * (x[i+p] - mean)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den * float64(n) / float64(n-p)
}

// periodScore is the score of period p in x, in [0, 1].
func periodScore(x []float64, p int) float64 {
	if p < 4 || 2*p > len(x) {
		return 0
	}
	return math.Max(0, math.Min(1, autocorr(x, p)))
}

// minPeriodScore is the least autocorrelation reported as a period: below
// it a peak is as likely noise as a cycle.
const minPeriodScore = 0.3

// detectPeriods returns up to num periods in [minP, maxP] whose scores are
// local maxima, best first, and their scores.
func detectPeriods(x []float64, minP, maxP float64, num int) ([]float64, []float64) {
	lo, hi := max(4, int(math.Ceil(minP))), min(len(x)/2, int(math.Floor(maxP)))
	type cand struct {
		p     int
		score float64
	}
	var cands []cand
	score := map[int]float64{}
	at := func(p int) float64 {
		s, ok := score[p]
		if !ok {
			s = periodScore(x, p)
			score[p] = s
		}
		return s
	}
	for p := lo; p <= hi; p++ {
		s := at(p)
		peak := s >= minPeriodScore
		// a peak of the autocorrelation over its neighbourhood
		for d := 1; peak && d <= max(2, p/8); d++ {
			peak = s >= at(p-d) && s >= at(p+d)
		}
		if peak {
			cands = append(cands, cand{p, s})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	periods, scores := make([]float64, num), make([]float64, num)
	k := 0
	for _, c := range cands {
		if k == num {
			break
		}
		if harmonic(c.p, periods[:k]) {
			continue // a multiple of a better period repeats it
		}
		periods[k], scores[k] = float64(c.p), c.score
		k++
	}
	return periods, scores
}

// harmonic reports whether p is (within one point) a multiple of a period
// already found.
func harmonic(p int, found []float64) bool {
	for _, f := range found {
		q := int(f)
		if r := p % q; q > 0 && p > q && (r <= 1 || r >= q-1) {
			return true
		}
	}
	return false
}

func seriesPeriodsDetect(a []any, v []value.Value) value.Value {
	num := int(optInt(v, 3, 1))
	if num < 0 || num > 1000 {
		return value.Null(types.Dynamic)
	}
	periods, scores := detectPeriods(floats(a), optReal(v, 1, 0), optReal(v, 2, float64(len(a))), num)
	b := value.NewBag(2)
	b.Set("periods", reals(periods))
	b.Set("scores", reals(scores))
	return value.OfDynamic(b)
}

func seriesPeriodsValidate(a []any, v []value.Value) value.Value {
	x := floats(a)
	var periods, scores []float64
	for _, pv := range v[1:] {
		p, ok := argReal(pv)
		if !ok {
			continue
		}
		periods = append(periods, p)
		scores = append(scores, periodScore(x, int(math.Round(p))))
	}
	b := value.NewBag(2)
	b.Set("periods", reals(periods))
	b.Set("scores", reals(scores))
	return value.OfDynamic(b)
}

// decomposition holds the components of a series.
type decomposition struct {
	seasonal, trend, baseline, residual []float64
}

// decompose splits x: period -1 detects one (score at least threshold),
// 0 means none; the last test points are not learned from.
func decompose(x []float64, period int, trend string, test int, threshold float64) decomposition {
	n := len(x)
	learn := n - test
	if learn < 1 || learn > n {
		learn = n
	}
	if period < 0 {
		ps, sc := detectPeriods(x[:learn], 4, float64(learn/2), 1)
		period = 0
		if sc[0] >= threshold {
			period = int(ps[0])
		}
	}
	d := decomposition{seasonal: seasonalOf(x[:learn], period, n)}
	deseason := make([]float64, n)
	for i := range x {
		deseason[i] = x[i] - d.seasonal[i]
	}
	d.trend = make([]float64, n)
	switch trend {
	case "linefit":
		f := fitLine(xs(0, learn), deseason[:learn])
		for i := range d.trend {
			d.trend[i] = f.icpt + f.slope*float64(i+1)
		}
	case "none":
	default:
		var s, c float64
		for _, f := range deseason[:learn] {
			if finite(f) {
				s, c = s+f, c+1
			}
		}
		for i := range d.trend {
			d.trend[i] = s / c
		}
	}
	d.baseline, d.residual = make([]float64, n), make([]float64, n)
	for i := range x {
		d.baseline[i] = d.seasonal[i] + d.trend[i]
		d.residual[i] = x[i] - d.baseline[i]
	}
	return d
}

// seasonalOf is the median of each phase of learn (period p), repeated
// over n points; zeros without a period.
func seasonalOf(learn []float64, p, n int) []float64 {
	out := make([]float64, n)
	if p <= 0 {
		return out
	}
	med := make([]float64, p)
	for ph := range med {
		var vals []float64
		for i := ph; i < len(learn); i += p {
			if finite(learn[i]) {
				vals = append(vals, learn[i])
			}
		}
		sort.Float64s(vals)
		med[ph] = percentileOf(vals, 50)
		if math.IsNaN(med[ph]) {
			med[ph] = 0
		}
	}
	for i := range out {
		out[i] = med[i%p]
	}
	return out
}

func decompositionBag(d decomposition) value.Value {
	b := value.NewBag(4)
	b.Set("baseline", reals(d.baseline))
	b.Set("seasonal", reals(d.seasonal))
	b.Set("trend", reals(d.trend))
	b.Set("residual", reals(d.residual))
	return value.OfDynamic(b)
}

// seriesSeasonal is series_seasonal(x[, period][, test_points]).
func seriesSeasonal(a []any, v []value.Value) value.Value {
	x := floats(a)
	d := decompose(x, int(optInt(v, 1, -1)), "none", int(optInt(v, 2, 0)), 0.6)
	return value.OfDynamic(reals(d.seasonal))
}

// seriesDecompose is series_decompose(x[, period][, trend][, test_points][, threshold]).
func seriesDecompose(a []any, v []value.Value) value.Value {
	d := decompose(floats(a), int(optInt(v, 1, -1)), optStr(v, 2, "avg"), int(optInt(v, 3, 0)), optReal(v, 4, 0.6))
	return decompositionBag(d)
}

// seriesDecomposeForecast is series_decompose_forecast(x, test_points[,
// period][, trend][, threshold]).
func seriesDecomposeForecast(a []any, v []value.Value) value.Value {
	d := decompose(floats(a), int(optInt(v, 2, -1)), optStr(v, 3, "linefit"), int(optInt(v, 1, 0)), optReal(v, 4, 0.6))
	return decompositionBag(d)
}

// seriesDecomposeAnomalies is series_decompose_anomalies(x[, threshold][,
// period][, trend][, test_points][, method][, seasonality_threshold]):
// flags (+1, -1, 0) where the residual's outlier score passes threshold.
func seriesDecomposeAnomalies(a []any, v []value.Value) value.Value {
	x := floats(a)
	threshold := optReal(v, 1, 1.5)
	test := int(optInt(v, 4, 0))
	d := decompose(x, int(optInt(v, 2, -1)), optStr(v, 3, "linefit"), test, optReal(v, 6, 0.6))
	pLow, pHigh := 10.0, 90.0
	if optStr(v, 5, "ctukey") == "tukey" {
		pLow, pHigh = 25, 75
	}
	learn := len(x) - test
	if learn < 1 || learn > len(x) {
		learn = len(x)
	}
	scores := outlierScores(d.residual, learn, pLow, pHigh, func(float64) bool { return false })
	flags := make([]any, len(x))
	for i, s := range scores {
		switch {
		case s > threshold:
			flags[i] = int64(1)
		case s < -threshold:
			flags[i] = int64(-1)
		default:
			flags[i] = int64(0)
		}
	}
	b := value.NewBag(3)
	b.Set("ad_flag", flags)
	b.Set("ad_score", reals(scores))
	b.Set("baseline", reals(d.baseline))
	return value.OfDynamic(b)
}

// seriesFFT is series_fft (or, inverse, series_ifft, which divides by n):
// the discrete Fourier transform of real[, imaginary].
func seriesFFT(inverse bool) func(a []any, v []value.Value) value.Value {
	return func(a []any, v []value.Value) value.Value {
		re := floats(a)
		var im []float64
		if x, ok := optArg(v, 1); ok {
			if arr, ok := x.D.([]any); ok && len(arr) == len(re) {
				im = floats(arr)
			}
		}
		n := len(re)
		in := make([]complex128, n)
		for i := range in {
			var j float64
			if im != nil {
				j = im[i]
			}
			in[i] = complex(re[i], j)
		}
		sign := -1.0
		if inverse {
			sign = 1
		}
		var out []complex128
		switch {
		case n&(n-1) == 0:
			out = fft(in, sign)
		case n <= maxDFT:
			out = dft(in, sign)
		default:
			return value.Null(types.Dynamic)
		}
		outRe, outIm := make([]float64, n), make([]float64, n)
		for k, s := range out {
			if inverse {
				s /= complex(float64(n), 0)
			}
			outRe[k], outIm[k] = real(s), imag(s)
		}
		b := value.NewBag(2)
		b.Set("real", reals(outRe))
		b.Set("imag", reals(outIm))
		return value.OfDynamic(b)
	}
}

// maxDFT bounds the quadratic transform of a series whose length is not a
// power of two.
const maxDFT = 8192

// dft is the discrete Fourier transform by definition.
func dft(in []complex128, sign float64) []complex128 {
	n := len(in)
	out := make([]complex128, n)
	for k := range out {
		for t, x := range in {
			out[k] += x * cmplx.Exp(complex(0, sign*2*math.Pi*float64(k*t%n)/float64(n)))
		}
	}
	return out
}

// fft is the radix-2 fast Fourier transform of a power-of-two length.
func fft(in []complex128, sign float64) []complex128 {
	n := len(in)
	if n <= 1 {
		return append([]complex128(nil), in...)
	}
	even, odd := make([]complex128, n/2), make([]complex128, n/2)
	for i := 0; i < n/2; i++ {
		even[i], odd[i] = in[2*i], in[2*i+1]
	}
	e, o := fft(even, sign), fft(odd, sign)
	out := make([]complex128, n)
	for k := 0; k < n/2; k++ {
		w := cmplx.Exp(complex(0, sign*2*math.Pi*float64(k)/float64(n))) * o[k]
		out[k], out[k+n/2] = e[k]+w, e[k]-w
	}
	return out
}
