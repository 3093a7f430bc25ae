// Command planrep follows an annual development plan through the year:
// department templates, collecting returns, progress reports.
package main

import (
	"os"

	"planrep/cmd"
)

func main() { os.Exit(cmd.Execute()) }
