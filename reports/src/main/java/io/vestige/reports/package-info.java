/** Report model and writers. */
package io.vestige.reports;
