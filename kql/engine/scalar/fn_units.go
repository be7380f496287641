package scalar

// This file implements the unit conversions convert_angle, convert_energy,
// convert_force, convert_length, convert_mass, convert_speed,
// convert_temperature and convert_volume. Units are the UnitsNet names
// the documentation lists (matched without regard to case); each linear
// unit is a factor to the quantity's base unit. An unknown unit yields
// null.

import (
	"math"
	"strings"

	"github.com/vigil-hunt/vigil/kql/types"
	"github.com/vigil-hunt/vigil/kql/value"
)

// unitScale converts between units of one quantity: toBase(x, unit) and
// fromBase(x, unit) report false for an unknown unit.
type unitScale interface {
	toBase(x float64, unit string) (float64, bool)
	fromBase(x float64, unit string) (float64, bool)
}

// linearUnits maps lower-cased unit names to their size in the base unit.
type linearUnits map[string]float64

func (u linearUnits) toBase(x float64, unit string) (float64, bool) {
	f, ok := u[strings.ToLower(unit)]
	return x * f, ok
}

func (u linearUnits) fromBase(x float64, unit string) (float64, bool) {
	f, ok := u[strings.ToLower(unit)]
	return x / f, ok
}

func init() {
	quantities := map[string]unitScale{
		"angle": angleUnits{}, "energy": energyUnits, "force": forceUnits, "length": lengthUnits,
		"mass": massUnits, "speed": speedUnits(), "temperature": temperatureUnits{}, "volume": volumeUnits,
	}
	for q, u := range quantities {
		def(bindConvert(u), "convert_"+q)
	}
}

// bindConvert binds convert_<quantity>(value, from, to).
func bindConvert(u unitScale) binder {
	return func(c *call) (*Fn, error) {
		return c.strict(types.Real, func(v []value.Value) value.Value {
			x, ok := argReal(v[0])
			if !ok {
				return value.Null(types.Real)
			}
			base, ok := u.toBase(x, toStr(v[1]))
			if !ok {
				return value.Null(types.Real)
			}
			out, ok := u.fromBase(base, toStr(v[2]))
			if !ok {
				return value.Null(types.Real)
			}
			return value.OfReal(out)
		}), nil
	}
}

// prefixed adds SI-prefixed variants (kilo…, milli…) of a unit to m.
func prefixed(m linearUnits, unit string, size float64, prefixes ...string) {
	scale := map[string]float64{
		"nano": 1e-9, "micro": 1e-6, "milli": 1e-3, "centi": 1e-2, "deci": 1e-1,
		"deca": 1e1, "hecto": 1e2, "kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12,
	}
	for _, p := range prefixes {
		m[p+unit] = size * scale[p]
	}
}

var lengthUnits = func() linearUnits {
	inch := 0.0254
	m := linearUnits{
		"meter": 1, "angstrom": 1e-10, "astronomicalunit": 1.4959787070e11, "chain": 20.1168,
		"datamile": 1828.8, "dtppica": inch / 6, "dtppoint": inch / 72, "fathom": 1.8288,
		"foot": 0.3048, "hand": 0.1016, "inch": inch, "lightyear": 9.46073047258e15,
		"microinch": inch * 1e-6, "mil": inch * 1e-3, "mile": 1609.344, "nauticalmile": 1852,
		"parsec": 3.08567758128e16, "printerpica": 1 / 237.106301584, "printerpoint": inch / 72.27,
		"shackle": 27.432, "solarradius": 6.95510000e8, "twip": 1 / 56692.913385826,
		"ussurveyfoot": 1200.0 / 3937, "yard": 0.9144,
	}
	prefixed(m, "meter", 1, "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo")
	prefixed(m, "lightyear", 9.46073047258e15, "kilo", "mega")
	prefixed(m, "parsec", 3.08567758128e16, "kilo", "mega")
	return m
}()

var massUnits = func() linearUnits {
	m := linearUnits{
		"gram": 1e-3, "earthmass": 5.9722e24, "grain": 64.79891e-6, "pound": 0.45359237,
		"kilopound": 453.59237, "megapound": 453592.37, "tonne": 1000, "kilotonne": 1e6,
		"megatonne": 1e9, "longhundredweight": 50.80234544, "shorthundredweight": 45.359237,
		"longton": 1016.0469088, "shortton": 907.18474, "ounce": 0.028349523125,
		"slug": 14.593902937206362, "solarmass": 1.98947e30, "stone": 6.35029318,
	}
	prefixed(m, "gram", 1e-3, "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo")
	return m
}()

var forceUnits = linearUnits{
	"newton": 1, "decanewton": 10, "dyn": 1e-5, "kilogramforce": 9.80665, "kilonewton": 1e3,
	"kilopond": 9.80665, "kilopoundforce": 4448.2216152605, "meganewton": 1e6, "micronewton": 1e-6,
	"millinewton": 1e-3, "ounceforce": 4.4482216152605 / 16, "poundal": 0.138254954376,
	"poundforce": 4.4482216152605, "shorttonforce": 8896.443230521, "tonneforce": 9806.65,
}

var energyUnits = func() linearUnits {
	btu, ev := 1055.05585262, 1.602176565e-19
	m := linearUnits{
		"joule": 1, "britishthermalunit": btu, "calorie": 4.184, "kilocalorie": 4184, "megacalorie": 4.184e6,
		"decathermec": 1.05505585262e9, "decathermimperial": 1.05505585257348e9, "decathermus": 1.054804e9,
		"thermec": 1.05505585262e8, "thermimperial": 1.05505585257348e8, "thermus": 1.054804e8,
		"electronvolt": ev, "erg": 1e-7, "footpound": 1.355817948, "horsepowerhour": 2.6845e6,
		"watthour": 3600, "wattday": 86400,
	}
	prefixed(m, "joule", 1, "milli", "kilo", "mega", "giga")
	prefixed(m, "britishthermalunit", btu, "kilo", "mega", "giga")
	prefixed(m, "electronvolt", ev, "kilo", "mega", "giga", "tera")
	prefixed(m, "watthour", 3600, "kilo", "mega", "giga", "tera")
	prefixed(m, "wattday", 86400, "kilo", "mega", "giga", "tera")
	return m
}()

var volumeUnits = func() linearUnits {
	// The factors are UnitsNet's (rounded as there: a cubic foot is
	// 0.0283168 m³, a US gallon 0.00378541 m³).
	usGal, impGal, ft3 := 0.00378541, 0.00454609000000181429905810072407, 0.0283168
	m := linearUnits{
		"cubicmeter": 1, "acrefoot": 1 / 0.000810714, "autablespoon": 2e-5, "boardfoot": 2.3597372158e-3,
		"liter": 1e-3, "cubiccentimeter": 1e-6, "cubicdecimeter": 1e-3, "cubichectometer": 1e6,
		"cubickilometer": 1e9, "cubicmicrometer": 1e-18, "cubicmillimeter": 1e-9, "cubicfoot": ft3,
		"cubicinch": 1.6387e-5, "cubicmile": 4.16818182544058e9, "cubicyard": 0.764554858,
		"hectocubicfoot": ft3 * 100, "kilocubicfoot": ft3 * 1e3, "megacubicfoot": ft3 * 1e6,
		"hectocubicmeter": 100, "kilocubicmeter": 1000,
		"usgallon": usGal, "decausgallon": usGal * 10, "deciusgallon": usGal / 10, "hectousgallon": usGal * 100,
		"kilousgallon": usGal * 1e3, "megausgallon": usGal * 1e6,
		"imperialgallon": impGal, "kiloimperialgallon": impGal * 1e3, "megaimperialgallon": impGal * 1e6,
		"imperialbeerbarrel": 0.16365924, "imperialounce": 2.8413062499962901241875439064617e-5,
		"imperialpint": 5.6826125e-4, "metriccup": 2.5e-4, "metricteaspoon": 5e-6, "oilbarrel": 0.158987294928,
		"uktablespoon": 1.5e-5, "usbeerbarrel": 0.1173477658, "uscustomarycup": 2.365882365e-4,
		"uslegalcup": 2.4e-4, "usounce": 2.957352956253760505068307980135e-5, "uspint": 4.73176473e-4,
		"usquart": 9.46352946e-4, "ustablespoon": 1.478676478125e-5, "usteaspoon": 4.92892159375e-6,
	}
	prefixed(m, "liter", 1e-3, "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "mega")
	return m
}()

// speedUnits are <length>Per<Second|Minute|Hour>, knots and miles per hour.
func speedUnits() linearUnits {
	m := linearUnits{"knot": 1852.0 / 3600, "mileperhour": 1609.344 / 3600}
	lengths := []string{"centimeter", "decimeter", "foot", "inch", "kilometer", "meter",
		"micrometer", "millimeter", "nanometer", "ussurveyfoot", "yard", "mile"}
	for _, l := range lengths {
		for per, secs := range map[string]float64{"second": 1, "minute": 60, "hour": 3600} {
			m[l+"per"+per] = lengthUnits[l] / secs
		}
	}
	return m
}

// angleUnits has degrees as base; tilt (the sine of the angle) is not linear.
type angleUnits struct{}

var angleLinear = func() linearUnits {
	rad := 180 / math.Pi
	m := linearUnits{
		"degree": 1, "arcminute": 1.0 / 60, "arcsecond": 1.0 / 3600, "gradian": 0.9,
		"natomil": 9.0 / 160, "radian": rad, "revolution": 360,
	}
	prefixed(m, "radian", rad, "nano", "micro", "milli", "centi", "deci")
	prefixed(m, "degree", 1, "nano", "micro", "milli")
	return m
}()

func (angleUnits) toBase(x float64, unit string) (float64, bool) {
	if strings.EqualFold(unit, "tilt") {
		return math.Asin(x) * 180 / math.Pi, true
	}
	return angleLinear.toBase(x, unit)
}

func (angleUnits) fromBase(x float64, unit string) (float64, bool) {
	if strings.EqualFold(unit, "tilt") {
		return math.Sin(x * math.Pi / 180), true
	}
	return angleLinear.fromBase(x, unit)
}

// temperatureUnits has kelvins as base: each scale is K = x*scale + offset.
type temperatureUnits struct{}

var temperatureScales = map[string][2]float64{
	"kelvin":             {1, 0},
	"degreecelsius":      {1, 273.15},
	"millidegreecelsius": {1e-3, 273.15},
	"degreedelisle":      {-2.0 / 3, 373.15},
	"degreefahrenheit":   {5.0 / 9, 459.67 * 5 / 9},
	"degreenewton":       {100.0 / 33, 273.15},
	"degreerankine":      {5.0 / 9, 0},
	"degreereaumur":      {5.0 / 4, 273.15},
	"degreeroemer":       {40.0 / 21, 273.15 - 7.5*40/21},
	"solartemperature":   {5778, 0},
}

func (temperatureUnits) toBase(x float64, unit string) (float64, bool) {
	s, ok := temperatureScales[strings.ToLower(unit)]
	return x*s[0] + s[1], ok
}

func (temperatureUnits) fromBase(x float64, unit string) (float64, bool) {
	s, ok := temperatureScales[strings.ToLower(unit)]
	return (x - s[1]) / s[0], ok
}
