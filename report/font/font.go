// Package font holds the TrueType faces embedded for the PDF brief, each
// from a Debian package under a free licence (see README.md):
//
//   - Song: AR PL SungtiL GB (文鼎简报宋, fonts-arphic-gbsn00lp), a 宋体 for the
//     title and body text; it stands in for 仿宋, of which no free TrueType face exists.
//   - Kai: AR PL KaitiM GB (文鼎简中楷, fonts-arphic-gkai00mp), a 楷体 for （一） headings.
//   - Hei: WenQuanYi Micro Hei (文泉驿微米黑, fonts-wqy-microhei), a 黑体 for 一、
//     headings and figures, and the fallback for characters the GB2312-era
//     faces lack.
//
// Each PDF embeds only the glyphs it uses (subset).
package font

import _ "embed"

var (
	//go:embed wqy-microhei.ttf
	wqyMicroHei []byte
	//go:embed gbsn00lp.ttf
	song []byte
	//go:embed gkai00mp.ttf
	kai []byte
)

// Name is the default (黑体-style) face's family name.
const Name = "WenQuanYi Micro Hei"

// Default returns the 黑体-style face's TrueType bytes (WenQuanYi Micro Hei).
// Callers must not modify the bytes any of these functions return.
func Default() []byte { return wqyMicroHei }

// Hei returns the 黑体-style face: WenQuanYi Micro Hei.
func Hei() []byte { return wqyMicroHei }

// Song returns the 宋体 face: AR PL SungtiL GB.
func Song() []byte { return song }

// Kai returns the 楷体 face: AR PL KaitiM GB.
func Kai() []byte { return kai }
