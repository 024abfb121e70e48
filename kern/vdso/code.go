package vdso

// The machine code of __vdso_clock_gettime(clockid_t clk, struct timespec
// *ts), i386 cdecl: arguments on the stack, result in EAX, EBX/ESI/EDI/EBP
// preserved (Go's runtime also relies on ESI and EBP surviving the call).
// Hand-encoded; the test decodes it and compares it with the listing in
// each emit's comment.

// Linux clock ids and the system call the fallback makes.
const (
	clockRealtime     = 0
	clockMonotonic    = 1
	clockMonotonicRaw = 4
	clockBoottime     = 7
	sysClockGettime   = 265
)

// i386 register numbers (ModRM reg/rm fields).
const (
	eax = iota
	ecx
	edx
	ebx
	esp
	ebp
	esi
	edi
)

// asm emits code into a page and resolves forward and backward jumps. It has fixed-size tables so that Build does not allocate.
type asm struct {
	b      *[PageSize]byte
	pc     int // offset in the page
	labels [4]int
	fix    [8]struct{ at, label int }
	nfix   int
}

func (a *asm) bytes(bs ...byte) {
	for _, c := range bs {
		a.b[a.pc] = c
		a.pc++
	}
}

func (a *asm) imm32(v uint32) { a.bytes(byte(v), byte(v>>8), byte(v>>16), byte(v>>24)) }

func modrm(mod, reg, rm int) byte { return byte(mod<<6 | reg<<3 | rm) }

// jcc emits a conditional jump to label l: op is the short form's opcode
// (0x74 jz, 0x75 jnz); the near form 0F op+0x10 rel32 is what is emitted,
// as the fallback is further than 127 bytes from the top.
func (a *asm) jcc(op byte, l int) {
	a.bytes(0x0F, op+0x10)
	a.imm32(0)
	a.fix[a.nfix] = struct{ at, label int }{a.pc - 4, l}
	a.nfix++
}

func (a *asm) label(l int) { a.labels[l] = a.pc }

// resolve patches the jumps' rel32 fields.
func (a *asm) resolve() {
	for _, f := range a.fix[:a.nfix] {
		pc := a.pc
		a.pc = f.at
		a.imm32(uint32(a.labels[f.label] - (f.at + 4)))
		a.pc = pc
	}
}

// Labels.
const (
	lMono = iota
	lRetry
	lNoReal
	lFallback
)

// emitClockGettime writes the function at a.pc; the data page starts at
// offset dataOff of the same page numbering (the image's PageSize).
func emitClockGettime(a *asm, dataOff int) {
	// Argument offsets once the four registers are pushed.
	const argClk, argTS = 20, 24
	a.bytes(0x55) // push ebp
	a.bytes(0x57) // push edi
	a.bytes(0x56) // push esi
	a.bytes(0x53) // push ebx
	a.bytes(0xE8) // call .+5: pushes the address of the pop
	a.imm32(0)
	here := a.pc
	a.bytes(0x58 + ebp) // pop ebp: ebp = address of this instruction
	// d(off) is the displacement from EBP to a data-page field.
	d := func(off int) uint32 { return uint32(dataOff + off - here) }
	// memEBP emits op reg, [ebp+disp32].
	memEBP := func(op byte, reg, off int) {
		a.bytes(op, modrm(2, reg, ebp))
		a.imm32(d(off))
	}
	a.bytes(0x8B, modrm(1, ecx, esp), 0x24, argClk) // mov ecx, [esp+20]: clk
	a.bytes(0x31, modrm(3, edi, edi))               // xor edi, edi: no real-time offset
	a.bytes(0x83, modrm(3, 7, ecx), clockMonotonic) // cmp ecx, 1
	a.jcc(0x74, lMono)                              // je mono
	a.bytes(0x83, modrm(3, 7, ecx), clockMonotonicRaw)
	a.jcc(0x74, lMono) // cmp ecx, 4; je mono
	a.bytes(0x83, modrm(3, 7, ecx), clockBoottime)
	a.jcc(0x74, lMono)                // cmp ecx, 7; je mono
	a.bytes(0x85, modrm(3, ecx, ecx)) // test ecx, ecx: CLOCK_REALTIME is 0
	a.jcc(0x75, lFallback)            // jne fallback: a clock we do not serve
	a.bytes(0x40 + edi)               // inc edi: add the real-time offset
	a.label(lMono)
	a.label(lRetry)
	memEBP(0x8B, esi, offSeq)                       // mov esi, [seq]
	a.bytes(0x85, modrm(3, esi, esi))               // test esi, esi
	a.jcc(0x74, lFallback)                          // jz fallback: never published
	a.bytes(0xF7, modrm(3, 0, esi))                 // test esi, 1
	a.imm32(1)                                      //
	a.jcc(0x75, lFallback)                          // jnz fallback: being written (or unusable)
	a.bytes(0x0F, 0x31)                             // rdtsc: edx:eax = TSC
	memEBP(0x2B, eax, offTSC0)                      // sub eax, [tsc0]
	memEBP(0x1B, edx, offTSC0+4)                    // sbb edx, [tsc0+4]: edx:eax = delta
	a.bytes(0x89, modrm(3, edx, ecx))               // mov ecx, edx: delta high
	memEBP(0xF7, 4, offMult)                        // mul dword [mult]: edx:eax = low*mult
	a.bytes(0x89, modrm(3, eax, ebx))               // mov ebx, eax: product bits 0-31
	a.bytes(0x89, modrm(3, ecx, eax))               // mov eax, ecx: delta high
	a.bytes(0x89, modrm(3, edx, ecx))               // mov ecx, edx: carry word of low*mult
	memEBP(0xF7, 4, offMult)                        // mul dword [mult]: edx:eax = high*mult
	a.bytes(0x01, modrm(3, ecx, eax))               // add eax, ecx: product bits 32-63
	a.bytes(0x83, modrm(3, 2, edx), 0)              // adc edx, 0: product bits 64-95
	memEBP(0x8B, ecx, offShift)                     // mov ecx, [shift]
	a.bytes(0x0F, 0xAD, modrm(3, eax, ebx))         // shrd ebx, eax, cl: ns bits 0-31
	a.bytes(0x0F, 0xAD, modrm(3, edx, eax))         // shrd eax, edx, cl: ns bits 32-63
	memEBP(0x03, ebx, offMono0)                     // add ebx, [mono0]
	memEBP(0x13, eax, offMono0+4)                   // adc eax, [mono0+4]: eax:ebx = monotonic ns
	a.bytes(0x85, modrm(3, edi, edi))               // test edi, edi
	a.jcc(0x74, lNoReal)                            // jz noreal
	memEBP(0x03, ebx, offRealOff)                   // add ebx, [realoff]
	memEBP(0x13, eax, offRealOff+4)                 // adc eax, [realoff+4]: real-time ns
	a.label(lNoReal)                                //
	memEBP(0x3B, esi, offSeq)                       // cmp esi, [seq]
	a.jcc(0x75, lRetry)                             // jne retry: a new epoch came meanwhile
	a.bytes(0xB8 + ecx)                             // mov ecx, 1000000000
	a.imm32(1e9)                                    //
	a.bytes(0x31, modrm(3, edx, edx))               // xor edx, edx: edx:eax = ns high word
	a.bytes(0xF7, modrm(3, 6, ecx))                 // div ecx: edx = high mod 1e9
	a.bytes(0x89, modrm(3, ebx, eax))               // mov eax, ebx: edx:eax = remainder:low
	a.bytes(0xF7, modrm(3, 6, ecx))                 // div ecx: eax = seconds, edx = ns
	a.bytes(0x8B, modrm(1, ecx, esp), 0x24, argTS)  // mov ecx, [esp+24]: ts
	a.bytes(0x89, modrm(0, eax, ecx))               // mov [ecx], eax: tv_sec
	a.bytes(0x89, modrm(1, edx, ecx), 4)            // mov [ecx+4], edx: tv_nsec
	a.bytes(0x31, modrm(3, eax, eax))               // xor eax, eax: return 0
	a.bytes(0x5B, 0x5E, 0x5F, 0x5D)                 // pop ebx; pop esi; pop edi; pop ebp
	a.bytes(0xC3)                                   // ret
	a.label(lFallback)                              //
	a.bytes(0xB8 + eax)                             // mov eax, 265: SYS_clock_gettime
	a.imm32(sysClockGettime)                        //
	a.bytes(0x8B, modrm(1, ebx, esp), 0x24, argClk) // mov ebx, [esp+20]
	a.bytes(0x8B, modrm(1, ecx, esp), 0x24, argTS)  // mov ecx, [esp+24]
	a.bytes(0xCD, 0x80)                             // int 0x80: its result is ours
	a.bytes(0x5B, 0x5E, 0x5F, 0x5D)                 // pop ebx; pop esi; pop edi; pop ebp
	a.bytes(0xC3)                                   // ret
	a.resolve()
}
