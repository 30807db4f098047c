HOST_TESTS += http
HOST_TEST_SRCS_http := tests/host/test_http.c drivers/net/http_parse.c lib/json.c lib/strbuf.c
