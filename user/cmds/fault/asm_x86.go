//go:build 386 || amd64

package fault

// ud2 executes an illegal instruction.
func ud2()

// divide returns a/b with the CPU's DIVL: no Go divide-by-zero check.
func divide(a, b uint32) uint32

func illegal() error {
	ud2()
	return nil
}
