package scalar

// This file implements the statistical functions beta_cdf, beta_pdf,
// beta_inv and welch_test (two-sided p-value), on the regularized
// incomplete beta function.

import (
	"math"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func init() {
	def(betaFn(func(x, a, b float64) value.Value {
		switch {
		case a < 0 || b < 0:
			return value.OfReal(math.NaN())
		case x < 0 || x > 1:
			return value.Null(types.Real)
		}
		return value.OfReal(regIncBeta(a, b, x))
	}), "beta_cdf")
	def(betaFn(func(x, a, b float64) value.Value {
		switch {
		case a <= 0 || b <= 0:
			return value.OfReal(math.NaN())
		case x < 0 || x > 1:
			return value.Null(types.Real)
		}
		lb := lgamma(a) + lgamma(b) - lgamma(a+b)
		return value.OfReal(math.Exp((a-1)*math.Log(x) + (b-1)*math.Log1p(-x) - lb))
	}), "beta_pdf")
	def(betaFn(func(p, a, b float64) value.Value {
		switch {
		case a < 0 || b < 0:
			return value.OfReal(math.NaN())
		case p < 0 || p > 1:
			return value.Null(types.Real)
		}
		return value.OfReal(invIncBeta(a, b, p))
	}), "beta_inv")
	def(func(c *call) (*Fn, error) {
		return c.strict(types.Real, func(v []value.Value) value.Value {
			var f [6]float64
			for i := range f {
				x, ok := argReal(v[i])
				if !ok {
					return value.Null(types.Real)
				}
				f[i] = x
			}
			return value.OfReal(welch(f[0], f[1], f[2], f[3], f[4], f[5]))
		}), nil
	}, "welch_test")
}

func betaFn(f func(x, a, b float64) value.Value) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Real, func(v []value.Value) value.Value {
			x, ok1 := argReal(v[0])
			a, ok2 := argReal(v[1])
			b, ok3 := argReal(v[2])
			if !ok1 || !ok2 || !ok3 {
				return value.Null(types.Real)
			}
			return f(x, a, b)
		}), nil
	}
}

func lgamma(x float64) float64 {
	l, _ := math.Lgamma(x)
	return l
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by
// its continued fraction (Lentz's method).
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	front := math.Exp(lgamma(a+b) - lgamma(a) - lgamma(b) + a*math.Log(x) + b*math.Log1p(-x))
	if x > (a+1)/(a+b+2) {
		return 1 - front*betaCF(b, a, 1-x)/b
	}
	return front * betaCF(a, b, x) / a
}

func betaCF(a, b, x float64) float64 {
	const eps, tiny = 1e-15, 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// invIncBeta inverts regIncBeta in x by bisection.
func invIncBeta(a, b, p float64) float64 {
	lo, hi := 0.0, 1.0
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if regIncBeta(a, b, mid) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// welch is the two-sided p-value of Welch's t-test.
func welch(m1, v1, n1, m2, v2, n2 float64) float64 {
	s1, s2 := v1/n1, v2/n2
	t := (m1 - m2) / math.Sqrt(s1+s2)
	df := (s1 + s2) * (s1 + s2) / (s1*s1/(n1-1) + s2*s2/(n2-1))
	return regIncBeta(df/2, 0.5, df/(df+t*t))
}
