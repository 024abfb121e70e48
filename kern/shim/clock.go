package shim

// UnixSeconds converts a UTC civil date and time to seconds since
// 1970-01-01 (days-from-civil, proleptic Gregorian calendar).
func UnixSeconds(year, month, day, hour, min, sec int64) int64 {
	if month <= 2 {
		year--
	}
	era := year / 400
	if year < 0 && year%400 != 0 {
		era--
	}
	yoe := year - era*400
	m := month + 9
	if month > 2 {
		m = month - 3
	}
	doy := (153*m+2)/5 + day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := era*146097 + doe - 719468
	return days*86400 + hour*3600 + min*60 + sec
}
