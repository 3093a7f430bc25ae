package extract

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tradPairs maps the traditional characters that plans are written with to
// their simplified forms, a pair of runes at a time. It is a table of our
// own rather than a general converter: golang.org/x/text has encodings
// (Big5) but no script conversion, and the one-to-one mapping keeps every
// rune in place, so a quote found in the folded text is the same span of
// the original. Characters whose simplified form depends on the word
// (著/着, 乾/干, 藉/借) are left alone.
const tradPairs = "" +
	"億亿萬万長长經经濟济發发計计劃划產产業业與与務务區区縣县際际進进這这個个們们來来會会時时國国實实現现總总價价" +
	"標标準准數数據据額额費费資资貿贸銷销輸输運运環环態态護护衛卫醫医療疗養养險险學学園园設设築筑鐵铁橋桥場场廠厂" +
	"倉仓儲储農农糧粮穀谷漁渔氣气質质達达優优級级點点項项幣币銀银貸贷稅税營营員员職职廣广東东風风電电網网絡络訊讯" +
	"號号碼码機机車车輛辆駛驶鍋锅爐炉煉炼鋼钢礦矿藥药續续綠绿減减汙污處处廢废棄弃淨净歸归規规範范則则條条織织組组" +
	"構构權权證证書书傳传統统創创專专術术開开關关閉闭問问題题難难應应對对爲为為为於于從从後后裏里裡里麼么還还讓让" +
	"識识談谈調调說说話话語语讀读課课試试驗验檢检測测監监頭头腦脑體体顯显類类顧顾願愿預预領领導导單单雙双歲岁兩两" +
	"隊队陽阳陰阴陸陆階阶隨随離离雞鸡麥麦黃黄齊齐龍龙壓压層层屬属歷历曆历鄉乡鎮镇莊庄戶户門门閒闲間间聞闻闊阔邊边" +
	"遷迁遼辽適适選选遺遗邁迈遠远遞递週周過过違违遊游連连簡简節节紀纪約约紅红納纳純纯紙纸線线練练細细終终結结絕绝" +
	"給给維维綜综緊紧緩缓編编績绩縮缩繼继纖纤纜缆聯联聲声聽听臺台臨临興兴舉举舊旧藝艺華华葉叶蓋盖蘇苏蘭兰補补裝装" +
	"製制複复視视覽览觀观觸触訂订記记許许評评詞词詳详誠诚誤误請请諾诺謀谋謝谢譜谱議议讚赞豐丰貝贝負负財财貢贡貧贫" +
	"貨货販贩貫贯責责貴贵賀贺賓宾賞赏賠赔賢贤賣卖購购贈赠贏赢趕赶趨趋躍跃軍军軌轨軟软較较載载輔辅輕轻輪轮轉转辦办" +
	"郵邮鄰邻釋释針针銳锐鋪铺錄录錯错鍵键鎖锁鏈链鑒鉴鑑鉴閘闸閱阅闡阐陝陕陣阵陳陈雖虽雲云霧雾靈灵靜静韓韩響响頁页" +
	"頂顶順顺須须頒颁頓顿頻频顆颗顏颜飛飞飯饭飲饮餘余館馆馬马駐驻驅驱髮发鬆松魚鱼鳥鸟麗丽黨党齒齿塊块堅坚塵尘墾垦" +
	"壞坏壯壮夢梦奪夺奮奋婦妇孫孙寧宁寫写寬宽審审將将尋寻屆届島岛峽峡嶺岭幫帮幹干幾几庫库廳厅張张彈弹強强彙汇匯汇" +
	"徑径徵征惡恶愛爱憂忧懷怀戰战擁拥擇择擊击擴扩攝摄擬拟擠挤攜携敗败敵敌斷断晉晋暢畅曉晓極极槍枪樂乐樓楼樞枢樣样" +
	"樹树橫横檔档櫃柜歐欧殘残殺杀毀毁決决沒没沖冲況况淺浅測测湯汤溝沟滅灭滬沪滯滞滲渗滿满漢汉潔洁潛潜澤泽濃浓濕湿" +
	"濱滨灣湾灘滩災灾烏乌無无煙烟熱热燈灯燒烧爭争爾尔牆墙獎奖獨独獲获畝亩畫画當当盜盗盡尽盤盘眾众礎础確确礙碍禮礼" +
	"禍祸種种稱称穩稳窮穷競竞筆笔糾纠紛纷絲丝緒绪緻致繩绳罰罚羅罗義义習习聖圣膚肤腳脚艱艰薦荐藍蓝衆众衝冲襲袭見见" +
	"親亲覺觉訓训託托訪访診诊詢询該该誌志認认論论諮咨講讲謹谨譯译變变趙赵跡迹蹤踪輝辉辭辞遲迟鄭郑釀酿鐘钟鍾钟鏡镜" +
	"閣阁隱隐雜杂颱台騰腾驚惊鬥斗鬧闹麵面齡龄僅仅儀仪兒儿內内冊册凈净凍冻劉刘劑剂勁劲動动勝胜勞劳勢势勵励勸劝協协" +
	"厲厉參参叢丛員员啟启團团圍围圖图圓圆執执報报塗涂壇坛墊垫壽寿夠够備备傑杰傷伤傾倾儉俭償偿嚴严邏逻鄧邓嶼屿" +
	"億亿渦涡溫温溼湿瀏浏灤滦燦灿犢犊獸兽璣玑甌瓯畢毕疇畴瘋疯癢痒皺皱盞盏碼码磚砖礪砺稅税穌稣窩窝竇窦筍笋篩筛" +
	"糞粪紡纺紮扎紳绅綱纲綢绸綫线緝缉縫缝繪绘繳缴罈坛罵骂聳耸脈脉臉脸艙舱蔣蒋藥药蘆芦螢萤蠶蚕衛卫褲裤襯衬覓觅" +
	"訴诉詐诈誼谊諸诸謊谎謠谣譽誉貞贞賦赋賬账贓赃賽赛贛赣軀躯輿舆轄辖轎轿辯辩迴回鄒邹醬酱釘钉鈴铃鉛铅銅铜銜衔" +
	"鋁铝鋒锋錢钱錦锦鍛锻鎊镑鑄铸鑰钥閃闪闖闯闕阙阻阻隴陇隸隶雛雏靂雳韌韧頸颈頹颓顛颠颶飓飢饥飼饲飽饱餅饼饒饶" +
	"噸吨頃顷釐厘瀋沈邨村麪面麯曲鉅巨錶表" +
	"饞馋馳驰駕驾騎骑騙骗驕骄鬱郁鮮鲜鯉鲤鴨鸭鵝鹅鶴鹤鷹鹰鹽盐黴霉齋斋顎颚繫系係系貳贰"

var tradMap = func() map[rune]rune {
	r := []rune(tradPairs)
	m := make(map[rune]rune, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		if r[i] != r[i+1] {
			m[r[i]] = r[i+1]
		}
	}
	return m
}()

var hanDigit = map[rune]int{'〇': 0, '零': 0, '○': 0, 'Ｏ': 0, '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// fold returns the text in simplified characters, with years written in
// Chinese digits (二〇二六年) as ASCII digits. It changes runes one for one,
// so rune offsets agree with the original.
func fold(text string) string {
	if !utf8.ValidString(text) {
		return text // a rune for a rune would not be a byte for a byte
	}
	r := []rune(text)
	changed := false
	for i, c := range r {
		if s, ok := tradMap[c]; ok {
			r[i] = s
			changed = true
		}
	}
	for i := 0; i+4 < len(r); i++ {
		if r[i+4] != '年' {
			continue
		}
		y := 0
		ok := true
		for k := 0; k < 4; k++ {
			d, isD := hanDigit[r[i+k]]
			if !isD {
				ok = false
				break
			}
			y = y*10 + d
		}
		if ok && y >= 1949 && y <= 2199 && (i == 0 || hanDigit[r[i-1]] == 0 && !isHanNumeral(r[i-1])) {
			for k, c := range strconv.Itoa(y) {
				r[i+k] = c
			}
			changed = true
		}
	}
	if !changed {
		return text
	}
	return string(r)
}

// unfold maps a span of the folded text back to the same runes of the
// original text, so that quotes stay verbatim.
func unfold(orig, folded, quote string) string {
	if orig == folded || strings.Contains(orig, quote) {
		return quote
	}
	i := strings.Index(folded, quote)
	if i < 0 {
		return quote
	}
	start := len([]rune(folded[:i]))
	n := len([]rune(quote))
	or := []rune(orig)
	if start+n > len(or) {
		return quote
	}
	return string(or[start : start+n])
}

func isHanNumeral(c rune) bool {
	return strings.ContainsRune("〇零一二两三四五六七八九十百千", c)
}

// hanValue reads a Chinese numeral without 万/亿 (三, 十五, 一百二十, 两千)
// and says whether it is one.
func hanValue(r []rune) (int, bool) {
	if len(r) == 0 {
		return 0, false
	}
	total, cur := 0, -1
	for _, c := range r {
		switch c {
		case '十', '百', '千':
			m := map[rune]int{'十': 10, '百': 100, '千': 1000}[c]
			if cur < 0 {
				if c != '十' {
					return 0, false
				}
				cur = 1
			}
			total += cur * m
			cur = -1
		case '两':
			cur = 2
		default:
			d, ok := hanDigit[c]
			if !ok {
				return 0, false
			}
			if cur > 0 {
				return 0, false // 二三: not a number as plans write them
			}
			cur = d
		}
	}
	if cur > 0 {
		total += cur
	}
	return total, true
}

// normalizeNumbers rewrites the numbers of a clause as digits, as the rest
// of extract reads them: stray spaces from PDF and web copies go, and
// Chinese numerals before a unit (三个, 十五家), 翻一番, 千分之五 and
// 百分之八 become 3个, 15家, 增长100%, 5‰ and 8%. Names in quotation marks
// (“五个淄博”) and ordinals (第三) are left as they are.
func normalizeNumbers(r []rune) []rune {
	out := make([]rune, 0, len(r))
	quoted := 0
	for i := 0; i < len(r); i++ {
		c := r[i]
		if c == ' ' || c == '\u3000' || c == '\u00a0' {
			prev, next := rune(0), rune(0)
			if len(out) > 0 {
				prev = out[len(out)-1]
			}
			if i+1 < len(r) {
				next = r[i+1]
			}
			if !(isAlnum(prev) && isAlnum(next)) || isDigit(prev) || isDigit(next) {
				continue
			}
		}
		switch c {
		case '“', '《', '"', '「':
			quoted++
		case '”', '》', '」':
			if quoted > 0 {
				quoted--
			}
		}
		if quoted == 0 {
			if w, n := hanNumber(r, i); n > 0 {
				out = append(out, []rune(w)...)
				i += n - 1
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func isAlnum(c rune) bool { return c < 128 && (unicode.IsLetter(c) || unicode.IsDigit(c)) }

// hanNumber reads a Chinese number at r[i] and returns it in digits with how
// many runes it used (0 when none starts there).
func hanNumber(r []rune, i int) (string, int) {
	for _, f := range []struct{ word, as string }{
		{"翻一番", "增长100%"}, {"翻两番", "增长300%"}, {"翻一翻", "增长100%"},
	} {
		if hasAt(r, i, f.word) {
			return f.as, len([]rune(f.word))
		}
	}
	for _, f := range []struct{ word, unit string }{{"千分之", "‰"}, {"百分之", "%"}} {
		if hasAt(r, i, f.word) {
			k := i + len([]rune(f.word))
			j := k
			for j < len(r) && (isHanNumeral(r[j]) || r[j] == '点') {
				j++
			}
			if v, ok := hanDecimal(r[k:j]); ok {
				return v + f.unit, j - i
			}
			if j == k && k < len(r) && isDigit(r[k]) {
				e := k
				for e < len(r) && (isDigit(r[e]) || r[e] == '.') {
					e++
				}
				return string(r[k:e]) + f.unit, e - i
			}
		}
	}
	if !isHanNumeral(r[i]) || (i > 0 && (isHanNumeral(r[i-1]) || r[i-1] == '第' || r[i-1] == '万' || r[i-1] == '亿' || r[i-1] == '之')) {
		return "", 0
	}
	j := i
	for j < len(r) && isHanNumeral(r[j]) {
		j++
	}
	// 一 alone is an article more often than a count (一批, 一个, 一项).
	if j-i == 1 && r[i] == '一' {
		return "", 0
	}
	v, ok := hanValue(r[i:j])
	if !ok {
		return "", 0
	}
	// A number only where a unit (or 万/亿 and a unit) follows it.
	k := j
	if k < len(r) && (r[k] == '万' || r[k] == '亿') {
		k++
	}
	// Spans (三年行动, 学前三年) name things more often than they count them.
	switch unitAt(r, k) {
	case "", "年", "天", "小时", "岁", "倍":
		return "", 0
	}
	return strconv.Itoa(v), j - i
}

// hanDecimal reads 五, 十二, 三点五.
func hanDecimal(r []rune) (string, bool) {
	for i, c := range r {
		if c == '点' {
			a, ok := hanValue(r[:i])
			if !ok || i+1 >= len(r) {
				return "", false
			}
			frac := ""
			for _, d := range r[i+1:] {
				v, ok := hanDigit[d]
				if !ok {
					return "", false
				}
				frac += strconv.Itoa(v)
			}
			return strconv.Itoa(a) + "." + frac, true
		}
	}
	v, ok := hanValue(r)
	if !ok {
		return "", false
	}
	return strconv.Itoa(v), true
}
