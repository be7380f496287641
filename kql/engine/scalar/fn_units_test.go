package scalar

import (
	"math"
	"testing"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

func TestUnitConversions(t *testing.T) {
	runCases(t, []fnCase{
		// the documented examples
		{"convert_length", args(R(1.2), S("Meter"), S("Foot")), R(3.93700787401575)},
		{"convert_angle", args(R(1.2), S("Degree"), S("Arcminute")), R(72)},
		{"convert_energy", args(R(1.2), S("Joule"), S("BritishThermalUnit")), R(0.00113738054437598)},
		{"convert_force", args(R(1.2), S("Newton"), S("Decanewton")), R(0.12)},
		{"convert_mass", args(R(1.2), S("Kilogram"), S("Pound")), R(2.64554714621853)},
		{"convert_speed", args(R(1.2), S("MeterPerSecond"), S("CentimeterPerHour")), R(432000)},
		{"convert_temperature", args(R(1.2), S("Kelvin"), S("DegreeCelsius")), R(-271.95)},
		{"convert_volume", args(R(1.2), S("CubicMeter"), S("AcreFoot")), R(0.0009728568)},
		// case, non-linear scales, unknown units and nulls
		{"convert_temperature", args(R(212), S("degreefahrenheit"), S("DegreeCelsius")), R(100)},
		{"convert_angle", args(R(0.5), S("Tilt"), S("Degree")), R(30)},
		{"convert_mass", args(R(1), S("Kilogram"), S("Parsec")), N(types.Real)},
		{"convert_length", args(N(types.Real), S("Meter"), S("Foot")), N(types.Real)},
	})
}

func TestPunycodeDomain(t *testing.T) {
	runCases(t, []fnCase{
		{"punycode_domain_to_string", args(S("Lê Lợi。Thuận Thiên。com")), S("xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com")},
		{"punycode_domain_to_string", args(S("Kaledvoulc'h.Artorījos.edu")), S("Kaledvoulc'h.xn--Artorjos-ejb.edu")},
		{"punycode_domain_from_string", args(S("xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com")), S("Rúyì.Jīngū.Bàng.com")},
		{"punycode_domain_from_string", args(S("xn--!!.com")), S("")},
	})
}

// bagField returns field k of a bag value.
func bagField(t *testing.T, v value.Value, k string) any {
	t.Helper()
	b, ok := v.D.(*value.Bag)
	if !ok {
		t.Fatalf("got %s, want a property bag", v.String())
	}
	x, _ := b.Get(k)
	return x
}

func TestSeriesFits(t *testing.T) {
	y := D(`[2, 5, 6, 8, 11, 15, 17, 18, 25, 26, 30, 30]`)
	line := callFn(t, "series_fit_line", y)
	// the documented output: RSquare 0.982, Slope 2.730, Variance 98.628,
	// RVariance 1.686, Interception -1.666
	for k, want := range map[string]float64{"rsquare": 0.9829, "slope": 2.7308, "variance": 98.6288, "rvariance": 1.6865, "interception": -1.6667} {
		if got := bagField(t, line, k).(float64); math.Abs(got-want) > 1e-4 {
			t.Errorf("series_fit_line %s = %v, want %v", k, got, want)
		}
	}
	two := callFn(t, "series_fit_2lines", D(`[1, 2, 3, 4, 10, 8, 6, 4]`))
	if got := bagField(t, two, "split_idx"); got != int64(4) {
		t.Errorf("series_fit_2lines split_idx = %v, want 4", got)
	}
	if got := bagField(t, two, "rsquare").(float64); math.Abs(got-1) > 1e-9 {
		t.Errorf("series_fit_2lines rsquare = %v, want 1", got)
	}
	poly := callFn(t, "series_fit_poly", D(`[1, 4, 9, 16, 25]`), N(types.Dynamic), L(2))
	cs := bagField(t, poly, "coefficients").([]any)
	for i, want := range []float64{1, 0, 0} {
		if math.Abs(cs[i].(float64)-want) > 1e-9 {
			t.Errorf("series_fit_poly coefficients = %v, want [1,0,0]", cs)
		}
	}
	stats := callFn(t, "series_stats", D(`[1, 5, 3]`))
	if bagField(t, stats, "max_idx") != int64(1) || bagField(t, stats, "variance") != 4.0 {
		t.Errorf("series_stats = %s", stats.String())
	}
	if got := bagField(t, callFn(t, "series_stats", D(`[1, null, 3]`)), "avg"); got != nil {
		t.Errorf("series_stats with a null element: avg = %v, want null", got)
	}
	if got := bagField(t, callFn(t, "series_stats", D(`[1, null, 3]`), B(true)), "avg"); got != 2.0 {
		t.Errorf("series_stats ignoring non-finite: avg = %v, want 2", got)
	}
}

func TestSeriesAnalysis(t *testing.T) {
	runCases(t, []fnCase{
		{"series_outliers", args(D(`[1, 2, 3, 2, 1, 2, 3, 100, 2, 1]`)), D(`[0, 0, 0, 0, 0, 0, 0, 7.4615384615384865, 0, 0]`)},
		{"series_outliers", args(D(`[1, 2, 3, 4, -50]`), S("tukey")), D(`[0, 0, 0, 0.5, -25.5]`)},
		{"series_seasonal", args(D(`[1, 5, 1, 5, 1, 5]`), L(2)), D(`[1, 5, 1, 5, 1, 5]`)},
	})
	// a cycle of 14 points (the documentation's traffic series)
	y := D(`[80, 139, 87, 110, 68, 54, 50, 51, 53, 133, 86, 141, 97, 156, 94, 149, 95, 140, 77, 61, 50, 54, 47, 133, 72, 152, 94, 148, 105, 162, 101, 160, 87, 63, 53, 55, 54, 151, 103, 189, 108, 183, 113, 175, 113, 178, 90, 71, 62, 62, 65, 165, 109, 181, 115, 182, 121, 178, 114, 170]`)
	periods := bagField(t, callFn(t, "series_periods_detect", y, R(0), R(50), L(2)), "periods").([]any)
	if periods[0] != 14.0 || periods[1] != 0.0 {
		t.Errorf("series_periods_detect periods = %v, want [14, 0]", periods)
	}
	// a weekly cycle with one spike: decompose finds the cycle and the
	// anomaly flags the spike
	series := `[10, 12, 14, 16, 14, 12, 10, 10, 12, 14, 16, 14, 12, 10, 10, 12, 14, 40, 14, 12, 10, 10, 12, 14, 16, 14, 12, 10]`
	an := callFn(t, "series_decompose_anomalies", D(series))
	flags := bagField(t, an, "ad_flag").([]any)
	for i, f := range flags {
		want := int64(0)
		if i == 17 {
			want = 1
		}
		if f != want {
			t.Errorf("ad_flag[%d] = %v, want %v (flags %v)", i, f, want, flags)
		}
	}
	dec := callFn(t, "series_decompose", D(series), L(7))
	if got := bagField(t, dec, "seasonal").([]any)[3]; got != 16.0 {
		t.Errorf("series_decompose seasonal[3] = %v, want 16", got)
	}
	fft := callFn(t, "series_fft", D(`[1, 0, 0, 0]`))
	back := callFn(t, "series_ifft", value.OfDynamic(bagField(t, fft, "real")), value.OfDynamic(bagField(t, fft, "imag")))
	if got := bagField(t, back, "real").([]any)[0]; math.Abs(got.(float64)-1) > 1e-12 {
		t.Errorf("series_ifft(series_fft(x)) real[0] = %v, want 1", got)
	}
}

func TestBase64Guids(t *testing.T) {
	runCases(t, []fnCase{
		// the documented outputs of both pages
		{"base64_decode_toguid", args(S("JpbpECu8dUy7Pv5gbeJXAA==")), value.OfGuid("10e99626-bc2b-754c-bb3e-fe606de25700")},
		{"base64_encode_fromguid", args(value.OfGuid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb")), S("8jMxriJurkmwahbmqbIS6w==")},
	})
}
