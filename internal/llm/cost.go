// This file formats spend for people: "4 model calls, 3,812 tokens, $0.0011".

package llm

import (
	"fmt"
	"strconv"
)

// Spend is what a run (or a day) has consumed.
type Spend struct {
	Calls  int     `json:"calls"`
	Tokens int     `json:"tokens"`
	USD    float64 `json:"usd"`
}

// Add counts one call's usage.
func (s *Spend) Add(u Usage) {
	s.Calls++
	s.Tokens += u.Total()
	s.USD += u.USD
}

// String is the cost line, e.g. "4 model calls, 3,812 tokens, $0.0011".
// Dollars show four decimals below $1 and two above.
func (s Spend) String() string {
	calls := "model calls"
	if s.Calls == 1 {
		calls = "model call"
	}
	return fmt.Sprintf("%d %s, %s tokens, %s", s.Calls, calls, groupDigits(int64(s.Tokens)), formatUSD(s.USD))
}

func formatUSD(v float64) string {
	switch {
	case v == 0:
		return "$0"
	case v > 0 && v < 0.00005:
		return "<$0.0001"
	case v < 1:
		return fmt.Sprintf("$%.4f", v)
	}
	return fmt.Sprintf("$%.2f", v)
}

// groupDigits writes n with thousands separators: 3812 → "3,812".
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return sign + string(out)
}
