# Run after a build by samvad_discover_tests (discover_tests.cmake): writes OUTPUT, one add_test
# for each test case of EXECUTABLE that SPEC selects. Names are never handled as CMake lists.
if(SPEC STREQUAL "")
  set(spec_args "")
else()
  set(spec_args "${SPEC}")
endif()
execute_process(COMMAND "${EXECUTABLE}" ${spec_args} --list-test-names-only
  OUTPUT_VARIABLE names ERROR_VARIABLE errors RESULT_VARIABLE result WORKING_DIRECTORY "${WORKING_DIRECTORY}")
# --list-test-names-only exits with the number of test cases it listed (modulo 256).
if(NOT result MATCHES "^[0-9]+$")
  message(FATAL_ERROR "listing the test cases of ${EXECUTABLE} failed (${result}): ${errors}")
endif()

set(properties "")
foreach(p IN LISTS PROPERTIES)
  string(APPEND properties " [==[${p}]==]")
endforeach()

set(script "# Written by cmake/discover_tests_run.cmake from ${EXECUTABLE} ${SPEC}\n")
set(count 0)
string(LENGTH "${names}" remaining)
while(remaining GREATER 0)
  string(FIND "${names}" "\n" newline)
  if(newline EQUAL -1)
    set(name "${names}")
    set(names "")
  else()
    string(SUBSTRING "${names}" 0 ${newline} name)
    math(EXPR next "${newline} + 1")
    string(SUBSTRING "${names}" ${next} -1 names)
  endif()
  string(LENGTH "${names}" remaining)
  if(name STREQUAL "")
    continue()
  endif()
  if(name MATCHES "]==]")
    message(FATAL_ERROR "the test case name \"${name}\" contains ]==], which ctest cannot be given")
  endif()
  # Catch's test spec: \ escapes the next character; ',' separates names, '[' opens a tag, '"'
  # quotes, '*' and '~' are wildcard and exclusion.
  string(REPLACE "\\" "\\\\" spec "${name}")
  foreach(special "," "[" "]" "\"" "*" "~")
    string(REPLACE "${special}" "\\${special}" spec "${spec}")
  endforeach()
  string(APPEND script
    "add_test([==[${name}]==] [==[${EXECUTABLE}]==] [==[${spec}]==] --warn NoTests)\n"
    "set_tests_properties([==[${name}]==] PROPERTIES WORKING_DIRECTORY [==[${WORKING_DIRECTORY}]==]${properties})\n")
  math(EXPR count "${count} + 1")
endwhile()
if(count EQUAL 0)
  message(FATAL_ERROR "${EXECUTABLE} ${SPEC} lists no test cases")
endif()
file(WRITE "${OUTPUT}" "${script}")
