package shim

import "gojos/kern/arch/x86"

// The 8259A interrupt controllers, remapped so IRQ n arrives as vector
// x86.IRQBase+n, and the 8253/8254 PIT driving the scheduler tick.
const (
	pic1Cmd  = 0x20
	pic1Data = 0x21
	pic2Cmd  = 0xA0
	pic2Data = 0xA1
	picEOI   = 0x20

	pitCh0   = 0x40
	pitCh2   = 0x42
	pitCmd   = 0x43
	pitHz    = 1193182 // PIT input clock
	port61   = 0x61    // speaker gate (bit 0) and channel 2 output (bit 5)
	TickHz   = 1000    // scheduler tick
	tickNano = 1000000000 / TickHz
)

var picMask uint16 = 0xFFFF

func picInit() {
	x86.Outb(pic1Data, 0xFF)
	x86.Outb(pic2Data, 0xFF)
	x86.Outb(pic1Cmd, 0x11) // ICW1: edge, cascade, ICW4
	x86.Outb(pic2Cmd, 0x11)
	x86.Outb(pic1Data, x86.IRQBase)   // ICW2: vector base
	x86.Outb(pic2Data, x86.IRQBase+8) //
	x86.Outb(pic1Data, 0x04)          // ICW3: slave on IRQ 2
	x86.Outb(pic2Data, 0x02)
	x86.Outb(pic1Data, 0x01) // ICW4: 8086 mode
	x86.Outb(pic2Data, 0x01)
	picMask = 0xFFFF &^ (1 << 2) // cascade line always open
	picApply()
}

func picApply() {
	x86.Outb(pic1Data, uint8(picMask))
	x86.Outb(pic2Data, uint8(picMask>>8))
}

func picUnmask(irq int) {
	picMask &^= 1 << uint(irq)
	picApply()
}

func picEOIFor(irq int) {
	if irq >= 8 {
		x86.Outb(pic2Cmd, picEOI)
	}
	x86.Outb(pic1Cmd, picEOI)
}

// pitInit programs channel 0 for a periodic TickHz interrupt.
func pitInit() {
	div := uint16(pitHz / TickHz)
	x86.Outb(pitCmd, 0x34) // channel 0, lobyte/hibyte, mode 2 (rate generator)
	x86.Outb(pitCh0, uint8(div))
	x86.Outb(pitCh0, uint8(div>>8))
}

// The TSC rate is measured against PIT channel 2 counting down from 0xFFFF
// in mode 0 (55 ms at 1.193182 MHz) while the boot does other work
// (startCalibration, then finishCalibration): finishCalibration reads how
// far the count has got and, once at least calibrationMs has passed, divides
// the TSC's advance by it, so the boot waits only for what is left of the
// 10 ms. If the count ran out (the other work took over 55 ms), a second,
// waited-for countdown measures.
const calibrationMs = 10

var calibration struct {
	port61 uint8  // the gate register as it was
	t0     uint64 // TSC when the countdown started
}

// startCalibration starts the countdown.
func startCalibration() {
	calibration.port61 = x86.Inb(port61)
	calibration.t0 = pitCountdown(calibration.port61, 0xFFFF)
}

// pitCountdown starts channel 2 counting down from count and returns the
// TSC at the start.
func pitCountdown(gate uint8, count uint16) uint64 {
	x86.Outb(port61, gate&^0x02|0x01) // gate on, speaker off
	x86.Outb(pitCmd, 0xB0)            // channel 2, lobyte/hibyte, mode 0
	x86.Outb(pitCh2, uint8(count))
	x86.Outb(pitCh2, uint8(count>>8))
	return x86.Tsc()
}

// pitCount2 latches and reads channel 2's count.
func pitCount2() uint16 {
	x86.Outb(pitCmd, 0x80) // latch channel 2
	lo := x86.Inb(pitCh2)
	hi := x86.Inb(pitCh2)
	return uint16(hi)<<8 | uint16(lo)
}

// finishCalibration returns the TSC rate in Hz.
func finishCalibration() uint64 {
	const want = pitHz * calibrationMs / 1000 // PIT ticks in calibrationMs
	var t1 uint64
	var ticks uint64
	for i := 0; ; i++ {
		if x86.Inb(port61)&0x20 != 0 || i == 1<<26 { // ran out: measure again
			t0 := pitCountdown(calibration.port61, want)
			for k := 0; k < 1<<26 && x86.Inb(port61)&0x20 == 0; k++ {
			}
			t1, ticks = x86.Tsc()-t0, want
			break
		}
		if n := uint64(0xFFFF - pitCount2()); n >= want {
			t1, ticks = x86.Tsc()-calibration.t0, n
			break
		}
	}
	x86.Outb(port61, calibration.port61)
	hz := t1 * pitHz / ticks
	if hz < 1000000 { // no usable TSC or PIT: assume 1 GHz
		hz = 1000000000
	}
	return hz
}

// CMOS real-time clock.
const (
	cmosAddr = 0x70
	cmosData = 0x71
)

func cmosRead(reg uint8) uint8 {
	x86.Outb(cmosAddr, reg)
	return x86.Inb(cmosData)
}

// rtcUnix reads the RTC (UTC) and returns seconds since the Unix epoch.
func rtcUnix() int64 {
	for i := 0; i < 1<<20 && cmosRead(0x0A)&0x80 != 0; i++ { // update in progress
	}
	sec, min, hour := cmosRead(0x00), cmosRead(0x02), cmosRead(0x04)
	day, mon, year := cmosRead(0x07), cmosRead(0x08), cmosRead(0x09)
	century := cmosRead(0x32)
	regB := cmosRead(0x0B)
	if regB&0x04 == 0 { // BCD
		sec, min, day, mon, year = bcd(sec), bcd(min), bcd(day), bcd(mon), bcd(year)
		century = bcd(century)
		hour = bcd(hour&0x7F) | hour&0x80
	}
	if regB&0x02 == 0 && hour&0x80 != 0 { // 12-hour clock, PM
		hour = (hour&0x7F)%12 + 12
	}
	y := int64(year)
	if century >= 19 && century <= 30 {
		y += int64(century) * 100
	} else {
		y += 2000
	}
	return UnixSeconds(y, int64(mon), int64(day), int64(hour), int64(min), int64(sec))
}

func bcd(v uint8) uint8 { return v>>4*10 + v&0xF }
