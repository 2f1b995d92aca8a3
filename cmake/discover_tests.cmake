# samvad_discover_tests(TARGET [TEST_SPEC spec] [PROPERTIES name value ...]): one ctest test per
# Catch2 test case of TARGET that the test spec selects, found after each build of TARGET.
#
# Catch2 2.13's catch_discover_tests reads the test names as a CMake list (CatchAddTests.cmake):
# a name with a ';' ("...; a closed item stays closed") became two tests, and a name with an
# unbalanced '[' ("over [since, until)") swallowed every name after it into one. Each of those
# matched no test case, and Catch then exits 0: some 250 test cases never ran under ctest while
# it reported them all passed. Here the names are read line by line (discover_tests_run.cmake) and
# written as bracket arguments, Catch's special characters are escaped in the test spec, and every
# test runs with --warn NoTests, so a name that matches nothing fails instead of passing.
set(SAMVAD_DISCOVER_TESTS_RUN ${CMAKE_CURRENT_LIST_DIR}/discover_tests_run.cmake)

function(samvad_discover_tests target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TEST_SPEC" "PROPERTIES")
  string(SHA1 hash "${target} ${arg_TEST_SPEC}")
  string(SUBSTRING ${hash} 0 7 hash)
  set(tests_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_tests-${hash}.cmake)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_include-${hash}.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
    BYPRODUCTS ${tests_file}
    COMMAND ${CMAKE_COMMAND} -D "EXECUTABLE=$<TARGET_FILE:${target}>" -D "SPEC=${arg_TEST_SPEC}"
            -D "PROPERTIES=${arg_PROPERTIES}" -D "WORKING_DIRECTORY=${CMAKE_CURRENT_BINARY_DIR}"
            -D "OUTPUT=${tests_file}" -P ${SAMVAD_DISCOVER_TESTS_RUN}
    VERBATIM)
  file(WRITE ${include_file}
    "if(EXISTS \"${tests_file}\")\n"
    "  include(\"${tests_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
