// Package font holds the TrueType font embedded for the PDF brief:
// WenQuanYi Micro Hei (Apache-2.0), see README.md.
package font

import _ "embed"

//go:embed wqy-microhei.ttf
var wqyMicroHei []byte

// Name is the embedded font's family name.
const Name = "WenQuanYi Micro Hei"

// Default returns the embedded font's TrueType bytes. Callers must not modify them.
func Default() []byte { return wqyMicroHei }
