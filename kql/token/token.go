// Package token defines the lexical tokens of the Kusto Query Language (KQL)
// and source positions.
//
// Positions are byte offsets (Pos); line and column are worked out only when
// a position is printed, through a File. Keeping positions in this leaf
// package lets the checker, the engine, guardrails and findings cite a span
// of a query without importing the parser.
package token

import "strconv"

// Kind is the kind of a lexical token or of an operator in the syntax tree.
type Kind int

// The token kinds. Keywords of KQL are contextual (a column may be called
// "project"), so the scanner returns them as IDENT and the parser decides.
// The word operators (has, contains, in~, matches regex, …) are kinds too,
// because the syntax tree records them on binary expressions.
const (
	ILLEGAL Kind = iota
	EOF
	COMMENT

	literalBeg
	IDENT    // DeviceProcessEvents, $left, ['a b']
	INT      // 42, 0x2A
	REAL     // 1.5, 1e3
	STRING   // 'a', "b", @'c', h'd', ```e```
	TIMESPAN // 1d, 1.5h, 100ms
	BOOL     // true, false (produced by the parser)
	NULL     // null (produced by the parser, in dynamic literals)
	TYPEDLIT // datetime(...), guid(...), time(...), int(null), … kept raw
	literalEnd

	operatorBeg
	ADD // +
	SUB // -
	MUL // *
	QUO // /
	REM // %

	EQL      // ==
	NEQ      // != or <>
	LSS      // <
	LEQ      // <=
	GTR      // >
	GEQ      // >=
	EQTILDE  // =~
	NEQTILDE // !~

	ASSIGN // =
	ARROW  // =>
	PIPE   // |
	BANG   // ! (only as part of !has, !in, !contains, …)
	TILDE  // ~ (only as part of in~)
	COMMA  // ,
	SEMI   // ;
	COLON  // :
	DOT    // .
	DOTDOT // ..
	LPAREN // (
	RPAREN // )
	LBRACK // [
	RBRACK // ]
	LBRACE // {
	RBRACE // }
	operatorEnd

	wordOpBeg
	AND // and
	OR  // or

	HAS               // has
	NOT_HAS           // !has
	HAS_CS            // has_cs
	NOT_HAS_CS        // !has_cs
	HASPREFIX         // hasprefix
	NOT_HASPREFIX     // !hasprefix
	HASPREFIX_CS      // hasprefix_cs
	NOT_HASPREFIX_CS  // !hasprefix_cs
	HASSUFFIX         // hassuffix
	NOT_HASSUFFIX     // !hassuffix
	HASSUFFIX_CS      // hassuffix_cs
	NOT_HASSUFFIX_CS  // !hassuffix_cs
	CONTAINS          // contains
	NOT_CONTAINS      // !contains
	CONTAINS_CS       // contains_cs
	NOT_CONTAINS_CS   // !contains_cs
	STARTSWITH        // startswith
	NOT_STARTSWITH    // !startswith
	STARTSWITH_CS     // startswith_cs
	NOT_STARTSWITH_CS // !startswith_cs
	ENDSWITH          // endswith
	NOT_ENDSWITH      // !endswith
	ENDSWITH_CS       // endswith_cs
	NOT_ENDSWITH_CS   // !endswith_cs
	MATCHES_REGEX     // matches regex
	LIKE              // like (legacy, accepted by Kusto)
	NOT_LIKE          // !like

	IN          // in
	NOT_IN      // !in
	IN_CI       // in~
	NOT_IN_CI   // !in~
	HAS_ANY     // has_any
	HAS_ALL     // has_all
	BETWEEN     // between
	NOT_BETWEEN // !between
	wordOpEnd
)

var names = [...]string{
	ILLEGAL:  "ILLEGAL",
	EOF:      "EOF",
	COMMENT:  "COMMENT",
	IDENT:    "IDENT",
	INT:      "INT",
	REAL:     "REAL",
	STRING:   "STRING",
	TIMESPAN: "TIMESPAN",
	BOOL:     "BOOL",
	NULL:     "NULL",
	TYPEDLIT: "TYPEDLIT",

	ADD: "+", SUB: "-", MUL: "*", QUO: "/", REM: "%",
	EQL: "==", NEQ: "!=", LSS: "<", LEQ: "<=", GTR: ">", GEQ: ">=",
	EQTILDE: "=~", NEQTILDE: "!~",
	ASSIGN: "=", ARROW: "=>", PIPE: "|", BANG: "!", TILDE: "~",
	COMMA: ",", SEMI: ";", COLON: ":", DOT: ".", DOTDOT: "..",
	LPAREN: "(", RPAREN: ")", LBRACK: "[", RBRACK: "]", LBRACE: "{", RBRACE: "}",

	AND: "and", OR: "or",
	HAS: "has", NOT_HAS: "!has", HAS_CS: "has_cs", NOT_HAS_CS: "!has_cs",
	HASPREFIX: "hasprefix", NOT_HASPREFIX: "!hasprefix", HASPREFIX_CS: "hasprefix_cs", NOT_HASPREFIX_CS: "!hasprefix_cs",
	HASSUFFIX: "hassuffix", NOT_HASSUFFIX: "!hassuffix", HASSUFFIX_CS: "hassuffix_cs", NOT_HASSUFFIX_CS: "!hassuffix_cs",
	CONTAINS: "contains", NOT_CONTAINS: "!contains", CONTAINS_CS: "contains_cs", NOT_CONTAINS_CS: "!contains_cs",
	STARTSWITH: "startswith", NOT_STARTSWITH: "!startswith", STARTSWITH_CS: "startswith_cs", NOT_STARTSWITH_CS: "!startswith_cs",
	ENDSWITH: "endswith", NOT_ENDSWITH: "!endswith", ENDSWITH_CS: "endswith_cs", NOT_ENDSWITH_CS: "!endswith_cs",
	MATCHES_REGEX: "matches regex", LIKE: "like", NOT_LIKE: "!like",
	IN: "in", NOT_IN: "!in", IN_CI: "in~", NOT_IN_CI: "!in~", HAS_ANY: "has_any", HAS_ALL: "has_all",
	BETWEEN: "between", NOT_BETWEEN: "!between",
}

// String returns the token's text for operators ("==", "!has", "in~") and
// the kind's name for the others ("IDENT").
func (k Kind) String() string {
	if 0 <= k && int(k) < len(names) && names[k] != "" {
		return names[k]
	}
	return "token(" + strconv.Itoa(int(k)) + ")"
}

// IsLiteral reports whether k is a literal kind.
func (k Kind) IsLiteral() bool { return literalBeg < k && k < literalEnd }

// IsOperator reports whether k is punctuation or an operator symbol.
func (k Kind) IsOperator() bool { return operatorBeg < k && k < operatorEnd }

// IsWordOperator reports whether k is a word operator (and, has, in~, …).
func (k Kind) IsWordOperator() bool { return wordOpBeg < k && k < wordOpEnd }

// Negated returns the negated form of a string or set operator
// (HAS → NOT_HAS) and false for operators that have none.
func (k Kind) Negated() (Kind, bool) {
	n, ok := negations[k]
	return n, ok
}

var negations = map[Kind]Kind{
	HAS: NOT_HAS, HAS_CS: NOT_HAS_CS, HASPREFIX: NOT_HASPREFIX, HASPREFIX_CS: NOT_HASPREFIX_CS,
	HASSUFFIX: NOT_HASSUFFIX, HASSUFFIX_CS: NOT_HASSUFFIX_CS, CONTAINS: NOT_CONTAINS, CONTAINS_CS: NOT_CONTAINS_CS,
	STARTSWITH: NOT_STARTSWITH, STARTSWITH_CS: NOT_STARTSWITH_CS, ENDSWITH: NOT_ENDSWITH, ENDSWITH_CS: NOT_ENDSWITH_CS,
	LIKE: NOT_LIKE, IN: NOT_IN, IN_CI: NOT_IN_CI, BETWEEN: NOT_BETWEEN, EQL: NEQ, EQTILDE: NEQTILDE,
}

// wordOps maps the words that can follow a scalar operand (after an optional
// "!") to their kinds. "in~" and "matches regex" are assembled by the parser.
var wordOps = map[string]Kind{
	"and": AND, "or": OR,
	"has": HAS, "has_cs": HAS_CS, "hasprefix": HASPREFIX, "hasprefix_cs": HASPREFIX_CS,
	"hassuffix": HASSUFFIX, "hassuffix_cs": HASSUFFIX_CS, "contains": CONTAINS, "contains_cs": CONTAINS_CS,
	"startswith": STARTSWITH, "startswith_cs": STARTSWITH_CS, "endswith": ENDSWITH, "endswith_cs": ENDSWITH_CS,
	"like": LIKE, "in": IN, "has_any": HAS_ANY, "has_all": HAS_ALL, "between": BETWEEN,
}

// LookupWordOp returns the operator kind of a word such as "has" or
// "contains_cs". Words are case-sensitive in KQL.
func LookupWordOp(word string) (Kind, bool) {
	k, ok := wordOps[word]
	return k, ok
}

// Precedence levels of binary operators, lowest first. Kusto evaluates
// "or" below "and", below every comparison and string operator, below
// additive, below multiplicative operators.
const (
	LowestPrec = 0
	PrecOr     = 1
	PrecAnd    = 2
	PrecCmp    = 3
	PrecAdd    = 4
	PrecMul    = 5
)

// Precedence returns the binary precedence of k, or LowestPrec when k is
// not a binary operator.
func (k Kind) Precedence() int {
	switch {
	case k == OR:
		return PrecOr
	case k == AND:
		return PrecAnd
	case k == ADD || k == SUB:
		return PrecAdd
	case k == MUL || k == QUO || k == REM:
		return PrecMul
	case k >= EQL && k <= NEQTILDE, k.IsWordOperator():
		return PrecCmp
	}
	return LowestPrec
}
