package linux

import "testing"

func TestPrctl(t *testing.T) {
	if got := Prctl(PR_SET_VMA); got != -EINVAL {
		t.Errorf("Prctl(PR_SET_VMA) = %d, want -EINVAL", got)
	}
	if got := Prctl(15); got != 0 { // PR_SET_NAME
		t.Errorf("Prctl(PR_SET_NAME) = %d, want 0", got)
	}
}
