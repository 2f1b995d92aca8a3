# What `cmake --install` puts where (beside bin/samvad, installed by cli/CMakeLists.txt), and
# the Debian package CPack builds from the same rules (scripts/package).
include(GNUInstallDirs)

# The man page is written by hand (doc/samvad.1): a generated one could only repeat --help, which
# says nothing per command about exit codes, files or the environment. Configuring fills in the
# version; it is installed gzipped with -n (no name or time stamp) as Debian policy asks.
configure_file(${PROJECT_SOURCE_DIR}/doc/samvad.1 ${PROJECT_BINARY_DIR}/doc/samvad.1 @ONLY)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/doc/samvad.1.gz
  COMMAND gzip -9 -n -k -f samvad.1
  DEPENDS ${PROJECT_BINARY_DIR}/doc/samvad.1
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR}/doc
  COMMENT "Compressing the man page samvad.1"
  VERBATIM)
add_custom_target(samvad_man ALL DEPENDS ${PROJECT_BINARY_DIR}/doc/samvad.1.gz)
install(FILES ${PROJECT_BINARY_DIR}/doc/samvad.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# bash-completion loads completions/<command> on first use of <command>.
install(FILES cli/completion/samvad.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME samvad)

# The sample configuration to copy from. Named one by one so a credentials.yaml lying in the
# source tree can never be packaged.
set(SAMVAD_SAMPLE_DIR ${CMAKE_INSTALL_DATADIR}/samvad)
install(FILES departments.yaml credentials.yaml.example DESTINATION ${SAMVAD_SAMPLE_DIR})
install(FILES schedule.yaml DESTINATION ${SAMVAD_SAMPLE_DIR} OPTIONAL)  # the sample of run-due, when present
install(DIRECTORY lists/ DESTINATION ${SAMVAD_SAMPLE_DIR}/lists FILES_MATCHING PATTERN "*.txt")
install(DIRECTORY templates/ DESTINATION ${SAMVAD_SAMPLE_DIR}/templates FILES_MATCHING PATTERN "*.yaml")
install(DIRECTORY vars/ DESTINATION ${SAMVAD_SAMPLE_DIR}/vars FILES_MATCHING PATTERN "*.yaml")

# Debian keeps each package's licence as /usr/share/doc/<package>/copyright.
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

# The .deb: `cpack` in a build directory (scripts/package). Runtime dependencies come from
# dpkg-shlibdeps (dpkg-dev) reading the binary, so they match the libraries it was linked with.
if(NOT CPACK_PACKAGE_CONTACT)
  set(CPACK_PACKAGE_CONTACT "samvad maintainers <samvad@example.org>")
endif()
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME samvad)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "publish municipal announcements to X and email lists")
set(CPACK_PACKAGE_DESCRIPTION
  "samvad publishes a municipal corporation's announcements (schemes, water-supply interruptions,
road closures, tax deadlines, health camps) to every department's own X (Twitter) account and
email list, in Marathi and English, from YAML templates. Every delivery is recorded in an SQLite
store, so a rerun resumes and never posts or mails twice.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS ca-certificates)  # libcurl verifies X's and the SMTP server's TLS against them
set(CPACK_DEBIAN_PACKAGE_SUGGESTS bash-completion)
include(CPack)
