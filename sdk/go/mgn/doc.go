// Run AWS Application Migration Service (MGN) test launches and cutovers, and set each source server's launch settings, as Pulumi resources that wait for MGN's jobs.
package mgn
