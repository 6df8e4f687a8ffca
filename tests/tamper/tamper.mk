# SPDX-License-Identifier: MIT
# Build the tamper campaign tool on top of the project's Makefile:
#	make -f tests/tamper/tamper.mk BUILD=build tamper
# gives $(BUILD)/pvboot-tamper (tests/tamper/tamper.sh does this for you).
include Makefile

TAMPER_SRCS := $(sort $(wildcard tests/tamper/*.c))
TAMPER_OBJS := $(TAMPER_SRCS:%.c=$(BUILD)/obj/%.o)
TAMPER := $(BUILD)/pvboot-tamper

.PHONY: tamper
tamper: $(TAMPER)

$(TAMPER): $(TAMPER_OBJS) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $(TAMPER_OBJS) $(LIB_A) $(LIBS)
