/* SPDX-License-Identifier: MIT */
/*
 * DOC: www.S - the HTTP service's static files, compiled into the image
 *
 * Each file is a symbol pair NAME, NAME_end in .rodata; httpd.c serves
 * them straight from there (lwIP sends them without copying). The Makefile
 * makes this object depend on the files, since the assembler's .incbin is
 * not seen by gcc's dependency output.
 */
	.section .rodata
	.globl www_index_html, www_index_html_end
www_index_html:
	.incbin "drivers/net/www/index.html"
www_index_html_end:
	.section .note.GNU-stack,"",@progbits
