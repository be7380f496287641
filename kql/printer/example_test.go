package printer_test

import (
	"fmt"
	"os"

	"github.com/vigil-hunt/vigil/kql/parser"
	"github.com/vigil-hunt/vigil/kql/printer"
	"github.com/vigil-hunt/vigil/kql/token"
)

func Example() {
	src := `let lookback=1d; // window
DeviceProcessEvents|where Timestamp>ago(lookback)|where FileName=~"powershell.exe"|summarize n=count() by DeviceName`
	q, err := parser.Parse(token.NewFile("hunt.kql", src))
	if err != nil {
		fmt.Println(err)
		return
	}
	printer.Fprint(os.Stdout, q)
	// Output:
	// let lookback = 1d;
	// // window
	// DeviceProcessEvents
	// | where Timestamp > ago(lookback)
	// | where FileName =~ "powershell.exe"
	// | summarize n = count() by DeviceName
}

func ExampleNode() {
	x, err := parser.ParseExpr(`strcat(a,"-",b)=~"x-y"`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(printer.Node(x))
	// Output: strcat(a, "-", b) =~ "x-y"
}
