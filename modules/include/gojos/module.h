/*
 * gojos/module.h - what a gojos kernel module (a freestanding C ".ko") may use.
 *
 * A module is an ELF32 i386 relocatable object (ld -r). The kernel's loader
 * (kern/module, relocation in kern/module/elfrel) places its sections, resolves
 * its undefined symbols against the kernel's export table below (the KABI) and
 * the exports of modules loaded earlier, then calls its init function.
 *
 * Conventions the loader relies on:
 *   module_init(fn)   fn: int fn(void), run after loading; nonzero = failure,
 *                     the module is unloaded again. Emits the global symbol
 *                     "init_module" as an alias of fn (as Linux does).
 *   module_exit(fn)   fn: void fn(void), run before unloading. Emits
 *                     "cleanup_module". A module without one cannot be unloaded.
 *   MODULE_NAME("x")  the module's name ("name=x" in section .modinfo), 1-55 of
 *                     [A-Za-z0-9_-]. Without it finit_module uses the file name;
 *                     init_module (insmod) has none and refuses the module.
 *   MODULE_INFO(k, v) any other "k=v" metadata (MODULE_DESCRIPTION, MODULE_AUTHOR).
 *
 *   KPATCH_PROTO(ret, fn, params...)
 *                     declares fn's C prototype for kpatch and kcall, e.g.
 *                     KPATCH_PROTO(int, release_c, char *) for
 *                     int release_c(char *buf). The compiler checks it against
 *                     fn's definition; the loader records "fn=int(char *)" (section
 *                     .gojos.proto, read but not loaded) and refuses a prototype that
 *                     does not parse or names no global function of the module.
 *                     Write (void) for no parameters. A function without one is
 *                     taken as int fn(void).
 *
 * Livepatch modules (built by gojos_livepatch, toolchain/livepatch.bzl, which
 * adds the patch table) may declare callbacks, run around the switch of all
 * their functions, in this order:
 *   KLP_PRE_PATCH(fn)     int fn(void): before patching; nonzero aborts the
 *                         load with nothing patched (the module is removed).
 *   KLP_POST_PATCH(fn)    void fn(void): after every function is switched.
 *   KLP_PRE_UNPATCH(fn)   void fn(void): before the functions are switched back
 *                         (kpatch unload, rmmod, or an atomic replace).
 *   KLP_POST_UNPATCH(fn)  void fn(void): after they are switched back (also
 *                         when the switch failed after pre_patch ran).
 * They emit the global symbols livepatch_pre_patch, livepatch_post_patch,
 * livepatch_pre_unpatch and livepatch_post_unpatch.
 *
 *   KPATCH_ORIGINAL(repl)(args...)
 *                         in a livepatch module, calls the original code of
 *                         the kernel function repl replaces (its overwritten
 *                         instructions, moved, then the rest of it), with repl's
 *                         prototype: to wrap a function, count or log its calls,
 *                         or fix its result. The original runs as Go code on
 *                         the calling goroutine's stack, interrupts on; the
 *                         target's parameters and result must be integers or
 *                         bools. At most 4 such calls may wait at once (more
 *                         get 0), and C code may use 8 KiB of stack below a
 *                         call of the original after it returns.
 *
 * Every non-static function and variable of a module is exported to later
 * modules and appears in /proc/kallsyms as "name\t[module]". A replacement for
 * `kpatch TARGET fn` must be such a global function whose prototype matches
 * TARGET's Go signature, type for type:
 *
 *   Go                                   C (i386: int and long are 4 bytes)
 *   int8, int16, int32/int, int64        signed char, short, int/long, long long
 *   uint8, uint16, uint32/uint, uint64   unsigned char, unsigned short, unsigned
 *                                        int/long, unsigned long long
 *   uintptr                              unsigned int/long, or any pointer
 *   bool                                 _Bool (or bool)
 *   *T, unsafe.Pointer                   any pointer
 *   no results / one result              void / that result's type
 *
 * (<stdint.h>'s int8_t..uint64_t, intptr_t, uintptr_t and size_t may be
 * spelled too.) Strings, slices, interfaces, floats, structs and multiple
 * results have no C equivalent: such targets can be replaced by kernel
 * functions only. The kernel copies the Go arguments into a cdecl call on
 * the module stack and stores the C result in the Go result slot; a fault
 * in the C code returns zero to the Go caller and reverts the patch.
 *
 * Relocations allowed: R_386_32, R_386_PC32, R_386_PLT32 (compile with -fno-pic,
 * -fno-common; no thread-local storage, no sections both writable and executable).
 */
#ifndef GOJOS_MODULE_H
#define GOJOS_MODULE_H

/* ---- KABI: functions the kernel exports to modules ---- */

/*
 * kprintf prints to the kernel console. Supported conversions, with no flags,
 * width or precision: %s (NULL prints "(null)"), %d, %u, %x (lower-case hex,
 * no prefix), %p (0x followed by 8 hex digits), %c and %%. Anything else is
 * printed literally. Returns the number of bytes written.
 */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- module conventions ---- */

#define __GOJOS_CAT2(a, b) a##b
#define __GOJOS_CAT(a, b) __GOJOS_CAT2(a, b)
#define __GOJOS_UNIQUE(prefix) __GOJOS_CAT(prefix, __COUNTER__)

#define module_init(fn)                                                        \
	typedef int (*__gojos_initcall_t)(void);                               \
	static inline __gojos_initcall_t __gojos_check_init(void) { return fn; } \
	int init_module(void) __attribute__((alias(#fn)))

#define module_exit(fn)                                                        \
	typedef void (*__gojos_exitcall_t)(void);                              \
	static inline __gojos_exitcall_t __gojos_check_exit(void) { return fn; } \
	void cleanup_module(void) __attribute__((alias(#fn)))

#define MODULE_INFO(key, value)                                                \
	static const char __GOJOS_UNIQUE(__gojos_modinfo_)[]                   \
		__attribute__((section(".modinfo"), used, aligned(1))) = #key "=" value

#define MODULE_NAME(n) MODULE_INFO(name, n)

#define KPATCH_PROTO(ret, fn, ...)                                             \
	static ret (*const __GOJOS_UNIQUE(__gojos_proto_check_))(__VA_ARGS__)  \
		__attribute__((unused)) = fn;                                  \
	static const char __GOJOS_UNIQUE(__gojos_proto_)[]                     \
		__attribute__((section(".gojos.proto"), used, aligned(1))) =   \
			#fn "=" #ret "(" #__VA_ARGS__ ")"
#define __GOJOS_KLP_CALLBACK(ret, sym, fn)                                    \
	static inline ret (*__GOJOS_CAT(__gojos_check_, sym)(void))(void) { return fn; } \
	ret sym(void) __attribute__((alias(#fn)))

#define KPATCH_ORIGINAL(fn)                                                    \
	({                                                                     \
		extern __typeof__(fn) __gojos_original_##fn;                   \
		&__gojos_original_##fn;                                        \
	})

#define KLP_PRE_PATCH(fn) __GOJOS_KLP_CALLBACK(int, livepatch_pre_patch, fn)
#define KLP_POST_PATCH(fn) __GOJOS_KLP_CALLBACK(void, livepatch_post_patch, fn)
#define KLP_PRE_UNPATCH(fn) __GOJOS_KLP_CALLBACK(void, livepatch_pre_unpatch, fn)
#define KLP_POST_UNPATCH(fn) __GOJOS_KLP_CALLBACK(void, livepatch_post_unpatch, fn)

#define MODULE_DESCRIPTION(text) MODULE_INFO(description, text)
#define MODULE_AUTHOR(text) MODULE_INFO(author, text)

#endif /* GOJOS_MODULE_H */
