/** What the editor shows before the student opens anything. */
export const defaultProgramName = 'hello.s';

export const defaultProgram = `# hello.s: print a line on the UART, then stop the machine
    .text
    .globl _start
_start:
    la   a0, message
    li   a1, 0x10000000      # UART transmit register
1:  lbu  a2, 0(a0)
    beqz a2, 2f
    sb   a2, 0(a1)
    addi a0, a0, 1
    j    1b
2:  li   a1, 0x100000        # test finisher
    li   a2, 0x5555          # exit 0
    sw   a2, 0(a1)
    .data
message:
    .asciz "Hello from the primary!\\n"
`;
