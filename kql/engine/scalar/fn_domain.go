package scalar

// This file implements punycode_domain_to_string and
// punycode_domain_from_string: Punycode applied label by label to a domain
// name, with the IDNA "xn--" prefix. As documented, _to_string encodes
// and _from_string decodes; the ideographic full stops (。．｡) separate
// labels like '.', and labels keep their case.

import "strings"

func init() {
	def(strFn(func(s string) string { return mapLabels(s, encodeLabel) }), "punycode_domain_to_string")
	def(strFn(func(s string) string { return mapLabels(s, decodeLabel) }), "punycode_domain_from_string")
}

// mapLabels applies f to each label of a domain name and joins the
// results with '.'; "" when any label fails.
func mapLabels(s string, f func(string) (string, bool)) string {
	labels := strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '\u3002' || r == '\uff0e' || r == '\uff61'
	})
	if len(labels) == 0 {
		return ""
	}
	for i, l := range labels {
		out, ok := f(l)
		if !ok {
			return ""
		}
		labels[i] = out
	}
	return strings.Join(labels, ".")
}

// encodeLabel keeps an ASCII label and encodes any other as xn--….
func encodeLabel(l string) (string, bool) {
	ascii := true
	for i := 0; i < len(l); i++ {
		if l[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return l, true
	}
	out, ok := punyEncode(l)
	return "xn--" + out, ok
}

// decodeLabel decodes an xn--… label and keeps any other.
func decodeLabel(l string) (string, bool) {
	if len(l) < 4 || !strings.EqualFold(l[:4], "xn--") {
		return l, true
	}
	return punyDecode(l[4:])
}
