package parser

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/vigil-hunt/vigil/kql/ast"
	"github.com/vigil-hunt/vigil/kql/token"
)

// dump renders a node compactly for tests: names and literals as written,
// binary expressions as (op x y), pipes as (| x op), other nodes as
// Type{Field:value …} without positions and empty fields.
func dump(n any) string {
	var b strings.Builder
	dumpValue(&b, reflect.ValueOf(n))
	return b.String()
}

var posType = reflect.TypeFor[token.Pos]()

func dumpValue(b *strings.Builder, v reflect.Value) {
	if !v.IsValid() {
		b.WriteString("nil")
		return
	}
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		if dumpShort(b, v.Interface()) {
			return
		}
		for v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		dumpStruct(b, v)
	case reflect.Slice:
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteString(" ")
			}
			dumpValue(b, v.Index(i))
		}
		b.WriteString("]")
	case reflect.String:
		b.WriteString(fmt.Sprintf("%q", v.String()))
	default:
		if k, ok := v.Interface().(token.Kind); ok {
			b.WriteString(k.String())
			return
		}
		fmt.Fprint(b, v.Interface())
	}
}

func dumpShort(b *strings.Builder, n any) bool {
	switch x := n.(type) {
	case *ast.Ident:
		b.WriteString(x.Name)
		if x.Quoted {
			b.WriteString("'")
		}
	case *ast.BasicLit:
		b.WriteString(x.Value)
	case *ast.TypedLit:
		fmt.Fprintf(b, "%s(%s)", x.Type, x.Text)
	case *ast.BinaryExpr:
		fmt.Fprintf(b, "(%s %s %s)", x.Op, dump(x.X), dump(x.Y))
	case *ast.UnaryExpr:
		fmt.Fprintf(b, "(%s %s)", x.Op, dump(x.X))
	case *ast.ParenExpr:
		fmt.Fprintf(b, "(paren %s)", dump(x.X))
	case *ast.PipeExpr:
		fmt.Fprintf(b, "(| %s %s)", dump(x.X), dump(x.Op))
	case *ast.CallExpr:
		args := make([]string, len(x.Args))
		for i, a := range x.Args {
			args[i] = dump(a)
		}
		fmt.Fprintf(b, "%s(%s)", x.Fun.Name, strings.Join(args, " "))
	case *ast.SelectorExpr:
		fmt.Fprintf(b, "%s.%s", dump(x.X), dump(x.Sel))
	case *ast.IndexExpr:
		fmt.Fprintf(b, "%s[%s]", dump(x.X), dump(x.Index))
	case *ast.StarExpr:
		b.WriteString("*")
	case *ast.ColumnDef:
		if len(x.Names) > 0 {
			fmt.Fprintf(b, "%s=", dump(x.Names))
		}
		b.WriteString(dump(x.X))
	case *ast.ExprStmt:
		b.WriteString(dump(x.X))
	default:
		return false
	}
	return true
}

func dumpStruct(b *strings.Builder, v reflect.Value) {
	t := v.Type()
	b.WriteString(t.Name())
	b.WriteString("{")
	first := true
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.Type() == posType || f.IsZero() || t.Field(i).Name == "Word" {
			continue
		}
		if !first {
			b.WriteString(" ")
		}
		first = false
		b.WriteString(t.Field(i).Name)
		b.WriteString(":")
		dumpValue(b, f)
	}
	b.WriteString("}")
}

func dumpStmts(stmts []ast.Stmt) string {
	parts := make([]string, len(stmts))
	for i, s := range stmts {
		parts[i] = dump(s)
	}
	return strings.Join(parts, "; ")
}
