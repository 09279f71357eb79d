# Writes OUT: a C file defining `const char SYM[]`, the bytes of IN and a NUL.
# Run as: cmake -DIN=... -DSYM=... -DOUT=... -P embed_file.cmake
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE ${OUT}.tmp "/* Generated from ${IN} by cmake/embed_file.cmake. */\nconst char ${SYM}[] = {${body}0x00};\n")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
